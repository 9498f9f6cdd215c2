package password

import (
	"errors"
	"testing"
)

// TestVerifyBusy: with every hashing slot taken, Verify refuses at once
// instead of queueing, and works again when a slot frees.
func TestVerifyBusy(t *testing.T) {
	h, err := Hash("kechuang2023")
	if err != nil {
		t.Fatal(err)
	}
	if cap(slots) < 2 {
		t.Fatalf("%d hashing slots, want at least 2", cap(slots))
	}
	for range cap(slots) {
		slots <- struct{}{}
	}
	ok, err := Verify(h, "kechuang2023")
	<-slots
	if !errors.Is(err, ErrBusy) || ok {
		t.Fatalf("Verify with every slot taken = %v, %v; want false, ErrBusy", ok, err)
	}
	ok, err = Verify(h, "kechuang2023")
	for range cap(slots) - 1 {
		<-slots
	}
	if err != nil || !ok {
		t.Fatalf("Verify with a free slot = %v, %v; want true, nil", ok, err)
	}
}

// TestVerifyApartFromWork: authenticated hashing (an import of users
// filling every work slot) does not turn logins away.
func TestVerifyApartFromWork(t *testing.T) {
	h := hashWithSalt("kechuang2023", []byte("0123456789abcdef"))
	for range cap(workSlots) {
		workSlots <- struct{}{}
	}
	ok, err := Verify(h, "kechuang2023")
	for range cap(workSlots) {
		<-workSlots
	}
	if err != nil || !ok {
		t.Fatalf("Verify with every work slot taken = %v, %v; want true, nil", ok, err)
	}
}
