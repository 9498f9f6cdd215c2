package httpx

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"kechuang/internal/domain"
)

// ReadUpload reads an uploaded file from a raw body or a multipart field,
// refusing more than max bytes.
func ReadUpload(w http.ResponseWriter, r *http.Request, field string, max int64) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	tooLarge := domain.Errorf(domain.ETOOLARGE, "文件不能超过 %d MB", max>>20)
	tooLarge.Field = field
	var rd io.Reader = r.Body
	name := params["name"]
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(max); err != nil {
			if isTooLarge(err) {
				return "", nil, tooLarge
			}
			return "", nil, domain.FieldErrorf(field, "无法读取上传的表单：%v", err)
		}
		f, h, err := r.FormFile(field)
		if err != nil {
			return "", nil, domain.FieldErrorf(field, "请选择要上传的文件")
		}
		defer f.Close()
		rd, name = f, h.Filename
	} else if cd := r.Header.Get("Content-Disposition"); cd != "" {
		if _, p, err := mime.ParseMediaType(cd); err == nil {
			name = p["filename"]
		}
	}
	b, err := io.ReadAll(io.LimitReader(rd, max+1))
	if err != nil {
		if isTooLarge(err) {
			return "", nil, tooLarge
		}
		return "", nil, domain.FieldErrorf(field, "读取上传文件失败")
	}
	if int64(len(b)) > max {
		return "", nil, tooLarge
	}
	if len(b) == 0 {
		return "", nil, domain.FieldErrorf(field, "上传的文件为空")
	}
	return name, b, nil
}

// isTooLarge reports whether reading an upload failed on a size limit: the
// body's (http.MaxBytesReader) or the multipart parser's own.
func isTooLarge(err error) bool {
	var big *http.MaxBytesError
	return errors.As(err, &big) || errors.Is(err, multipart.ErrMessageTooLarge)
}
