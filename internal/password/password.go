// Package password hashes and checks sign-in passwords (argon2id in PHC
// string format) and states the minimum rules. It is a leaf below the
// service, so the service and the test world (which stores users with a
// known password without importing the service) hash the same way.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"kechuang/internal/domain"
)

// argon2id parameters (RFC 9106 second recommendation, lighter memory).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32

	// Bounds on the parameters Check accepts from a stored hash.
	maxArgonTime   = 10
	maxArgonMemory = 64 * 1024 // KiB
)

// slots bounds the argon2 computations of anonymous callers (logins) in
// flight: each holds about argonMemory (19 MiB), so without a bound two
// hundred concurrent logins cost 4 GB. Twice the cores keeps them busy
// while one waits on memory. workSlots bounds those of authenticated work
// (Hash, Check: an administrator creating or importing users) apart, so
// that such work never turns logins away; both together stay under
// 3 × GOMAXPROCS × 19 MiB.
var (
	slots     = make(chan struct{}, 2*runtime.GOMAXPROCS(0))
	workSlots = make(chan struct{}, runtime.GOMAXPROCS(0))
)

// ErrBusy is Verify's answer when every hashing slot is taken: the caller
// answers at once (429 with Retry-After) rather than queueing the request.
var ErrBusy = errors.New("password: every hashing slot is busy")

// Hash returns an argon2id hash of pw in PHC string format. It waits for a
// work slot: its callers (administrators, the owner after proving the old
// password, the demo loader) are already authenticated.
func Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	workSlots <- struct{}{}
	defer func() { <-workSlots }()
	return hashWithSalt(pw, salt), nil
}

// Verify is Check for anonymous callers (a login): it takes a hashing slot
// only if one is free, and returns ErrBusy otherwise, so a flood of logins
// costs at most cap(slots) × 19 MiB and never a queue.
func Verify(hash, pw string) (bool, error) {
	select {
	case slots <- struct{}{}:
	default:
		return false, ErrBusy
	}
	defer func() { <-slots }()
	return check(hash, pw), nil
}

func hashWithSalt(pw string, salt []byte) string {
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// Check reports whether pw matches a PHC argon2id hash, waiting for a
// work slot (for authenticated callers; a login uses Verify).
func Check(hash, pw string) bool {
	workSlots <- struct{}{}
	defer func() { <-workSlots }()
	return check(hash, pw)
}

func check(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	// argon2 panics on zero time or lanes, and a corrupt memory figure
	// could ask for terabytes: refuse parameters outside sane bounds.
	if t < 1 || t > maxArgonTime || p < 1 || m < 8*uint32(p) || m > maxArgonMemory {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Validate enforces the minimum password rules.
func Validate(pw string) error {
	if utf8.RuneCountInString(pw) < 8 {
		return domain.FieldErrorf("password", "密码至少8位")
	}
	return nil
}

// Dummy is checked against when a user does not exist, so that a wrong
// user name costs the same argon2 work as a wrong password. It is computed
// on first use, not when the package loads (every command, help included,
// would pay for it). Its salt is fixed: it guards nothing, it only has to
// cost the same.
var Dummy = sync.OnceValue(func() string {
	workSlots <- struct{}{}
	defer func() { <-workSlots }()
	return hashWithSalt("kechuang-dummy-password", []byte("kechuang-dummy-s"))
})
