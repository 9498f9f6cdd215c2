package domain

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSniffAttachment(t *testing.T) {
	for in, want := range map[string]string{
		"%PDF-1.7\n": MimePDF, " %PDF-1.4": "", "\xff\xd8\xff\xe0JFIF": MimeJPEG, "\xff\xd8\xff": "",
		"\x89PNG\r\n\x1a\n....": MimePNG, "\x89PNG\r\n": "", "<html><script>": "", "PK\x03\x04 OFD": "", "GIF89a": "", "": "",
	} {
		if got := SniffAttachment([]byte(in)); got != want {
			t.Errorf("SniffAttachment(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttachmentName(t *testing.T) {
	for _, c := range []struct{ name, mime, want string }{
		{`C:\合同\扫描件.PDF`, MimePDF, "扫描件.PDF"},
		{"../../../../etc/passwd.pdf", MimePDF, "passwd.pdf"},
		{"发票.pdf", MimeJPEG, "发票.jpg"},
		{"照片.JPEG", MimeJPEG, "照片.JPEG"},
		{"", MimePNG, "other.png"},
		{"...", MimePDF, "other.pdf"},
		{"a/", MimePDF, "other.pdf"},
		{"执照", MimePNG, "执照.png"},
	} {
		if got := AttachmentName(c.name, c.mime, "other"); got != c.want {
			t.Errorf("AttachmentName(%q, %s) = %q, want %q", c.name, c.mime, got, c.want)
		}
	}
}

// FuzzAttachment: sniffing answers an accepted type or nothing, and never
// calls text or HTML one; the stored name has no directory, keeps to 200
// characters and ends in the sniffed type's extension.
func FuzzAttachment(f *testing.F) {
	for _, s := range []string{"%PDF-1.4", "\xff\xd8\xff\xe0", "\x89PNG\r\n\x1a\n", "<html>", ""} {
		f.Add([]byte(s), "合同.pdf")
	}
	f.Add([]byte("%PDF-"), `..\..\a"; x=".pdf`)
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		m := SniffAttachment(b)
		if m == "" {
			return
		}
		ext, ok := AttachmentMIMEs[m]
		if !ok {
			t.Fatalf("sniffed %q, not an accepted type", m)
		}
		if !utf8.ValidString(name) {
			return // the service refuses such names before (textnorm)
		}
		got := AttachmentName(name, m, "other")
		if strings.ContainsAny(got, `/\`) || utf8.RuneCountInString(got) > 200 || got == "" {
			t.Fatalf("AttachmentName(%q) = %q", name, got)
		}
		if e := strings.ToLower(got[strings.LastIndex(got, "."):]); e != ext && !(ext == ".jpg" && e == ".jpeg") {
			t.Fatalf("AttachmentName(%q) = %q: extension %q for %s", name, got, e, m)
		}
	})
}
