package password_test

import (
	"regexp"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/password"
)

func TestHash(t *testing.T) {
	h, err := password.Hash("kechuang2023")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(h) {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	if h2, _ := password.Hash("kechuang2023"); h2 == h {
		t.Fatal("same salt twice")
	}
	if !password.Check(h, "kechuang2023") {
		t.Fatal("right password refused")
	}
	parts := strings.Split(h, "$")
	for name, bad := range map[string]string{
		"WrongPassword": h, "Empty": "", "NotPHC": "plaintext", "Bcrypt": "$2a$10$abcdefghijklmnopqrstuv",
		"Argon2i":    strings.Replace(h, "argon2id", "argon2i", 1),
		"BadSalt":    strings.Join(append(parts[:4:4], "!!!", parts[5]), "$"),
		"EmptyKey":   strings.Join(append(parts[:5:5], ""), "$"),
		"ZeroTime":   strings.Replace(h, "t=2", "t=0", 1),
		"ZeroLanes":  strings.Replace(h, "p=1", "p=0", 1),
		"HugeMemory": strings.Replace(h, "m=19456", "m=4294967295", 1),
		"BadParams":  strings.Replace(h, "m=19456", "m=x", 1),
	} {
		t.Run(name, func(t *testing.T) {
			pw := "kechuang2023"
			if name == "WrongPassword" {
				pw = "kechuang2024"
			}
			if password.Check(bad, pw) {
				t.Fatalf("Check(%q) accepted", bad)
			}
		})
	}
	if err := password.Validate("1234567"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("7-character password accepted: %v", err)
	}
	if err := password.Validate("12345678"); err != nil {
		t.Errorf("8-character password refused: %v", err)
	}
}

func TestDummy(t *testing.T) {
	d := password.Dummy()
	if d != password.Dummy() || password.Check(d, "") || !strings.HasPrefix(d, "$argon2id$") {
		t.Fatalf("dummy hash %q: not stable, not argon2id, or matches the empty password", d)
	}
}

// FuzzCheck: a stored hash of any shape never panics the login.
func FuzzCheck(f *testing.F) {
	h, _ := password.Hash("pw")
	f.Add(h, "pw")
	f.Add(strings.Replace(h, "t=2", "t=0", 1), "pw")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		password.Check(hash, pw)
	})
}
