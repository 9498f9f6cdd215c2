package anchor

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// MinKeyLen is the shortest key accepted, in bytes.
const MinKeyLen = 32

// LoadKey returns the audit chain's key: fromEnv (KECHUANG_AUDIT_KEY) when
// set, else the trimmed contents of the key file at path. When the file
// does not exist and create is set, a new random key (32 bytes, hex) is
// written there with 0600 permissions; without create the key is nil, and
// the caller can still verify the rows written before the chain was keyed.
// A key file others can read or write is refused, as ssh refuses a
// private key: the key is worth only as much as its secrecy.
func LoadKey(path, fromEnv string, create bool) ([]byte, error) {
	if fromEnv != "" {
		return checkLen([]byte(fromEnv), "KECHUANG_AUDIT_KEY")
	}
	key, err := readKey(path)
	switch {
	case err == nil:
		return key, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	case !create:
		return nil, nil
	}
	if err := writeKey(path); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, err
	}
	// Read back what is on disk: another process may have created the
	// file first, and its key is the one.
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限为 %04o，其他用户可读写；请运行 chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return checkLen([]byte(strings.TrimSpace(string(b))), path)
}

// writeKey creates the key file; it fails with os.ErrExist when the file
// appeared meanwhile, never overwriting a key.
func writeKey(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(hex.EncodeToString(raw) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func checkLen(key []byte, from string) ([]byte, error) {
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("审计密钥（%s）至少 %d 个字符，只有 %d 个", from, MinKeyLen, len(key))
	}
	return key, nil
}
