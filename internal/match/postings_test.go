package match

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPlist checks the compressed lists against plain slices: every
// posting read back in order, and seeks (which skip whole blocks) landing
// on the first posting at or after each target, for lists of one posting
// to many blocks, small and large gaps and frequencies.
func TestPlist(t *testing.T) {
	type post struct {
		doc uint32
		tf  [numFields]uint8
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{1, 2, blockSize - 1, blockSize, blockSize + 1, 3*blockSize + 7, 5000} {
		for _, maxGap := range []int{1, 3, 200, 100000} {
			var l plist
			var ref []post
			doc := uint32(rng.IntN(3))
			for range n {
				p := post{doc: doc}
				for f := range p.tf {
					if rng.IntN(4) == 0 {
						p.tf[f] = uint8(rng.IntN(256))
					} else {
						p.tf[f] = uint8(rng.IntN(3))
					}
				}
				l.add(p.doc, p.tf)
				ref = append(ref, p)
				doc += 1 + uint32(rng.IntN(maxGap))
			}
			if l.n != uint32(n) {
				t.Fatalf("n=%d: count %d", n, l.n)
			}
			i := 0
			for c := l.cursor(); c.next(); i++ {
				if i >= n || c.doc != ref[i].doc || c.tf != ref[i].tf {
					t.Fatalf("n=%d gap=%d: posting %d read as %d %v, want %+v", n, maxGap, i, c.doc, c.tf, ref[min(i, n-1)])
				}
			}
			if i != n {
				t.Fatalf("n=%d gap=%d: read %d postings", n, maxGap, i)
			}
			// ascending seeks with random strides, some onto postings, some between
			c := l.cursor()
			j := 0
			for target := uint32(0); ; target += uint32(rng.IntN(3 * maxGap * (1 + rng.IntN(100)))) {
				for j < n && ref[j].doc < target {
					j++
				}
				ok := c.seek(target)
				if ok != (j < n) {
					t.Fatalf("n=%d gap=%d: seek(%d) = %v, want %v", n, maxGap, target, ok, j < n)
				}
				if !ok {
					break
				}
				if c.doc != ref[j].doc || c.tf != ref[j].tf {
					t.Fatalf("n=%d gap=%d: seek(%d) at %d %v, want %+v", n, maxGap, target, c.doc, c.tf, ref[j])
				}
				if rng.IntN(2) == 0 {
					target = c.doc // a seek onto the current posting stays
				}
			}
		}
	}
}

// TestNormFactor: the tabulated length factor is the division it replaces
// (to rounding), below the table and past it.
func TestNormFactor(t *testing.T) {
	ix := New(DefaultConfig(), Analyzer{})
	ix.n, ix.sumLen = 10, [2][numFields]int64{{30, 50, 900}, {60, 100, 3000}}
	n := ix.norms()
	for k := range Kind(2) {
		for f := range numFields {
			for _, l := range []uint16{0, 1, 7, 300, normTable - 1, normTable, 5000, 65535} {
				want := n.w[k][f] / (n.c0[k][f] + n.c1[k][f]*float64(l))
				if got := n.factor(k, f, l); math.Abs(got-want) > 1e-12*math.Abs(want) {
					t.Fatalf("kind %d field %d length %d: %v, want %v", k, f, l, got, want)
				}
			}
		}
	}
}
