package match

import "encoding/binary"

// blockSize is the number of postings of a closed block of a plist.
const blockSize = 64

// plist is a term's postings in a shard (documents by ascending slot, with
// their term frequencies per field), compressed: each posting is the gap
// from the previous posting's slot (uvarint) and its frequencies (one
// byte, or four; appendTF). The postings are cut into blocks of blockSize;
// a closed block is preceded by a header (uvarint: the slot of its last
// posting; uvarint: its length in bytes), so that a cursor's seek skips
// whole blocks; the last, open block (n % blockSize postings) has none.
// About 2–3 bytes a posting where the plain struct took 8.
type plist struct {
	data []byte
	n    uint32 // postings
	last uint32 // slot of the last posting
	open uint32 // offset of the open block in data
}

// appendTF packs a posting's frequencies: one byte (title 0–3, keywords
// 0–3, abstract 0–14 in 2, 2 and 4 bits) or, if any is larger, 0xF0 then
// the three bytes.
func appendTF(b []byte, tf [numFields]uint8) []byte {
	if tf[Title] <= 3 && tf[Keywords] <= 3 && tf[Abstract] <= 14 {
		return append(b, tf[Title]|tf[Keywords]<<2|tf[Abstract]<<4)
	}
	return append(b, 0xF0, tf[Title], tf[Keywords], tf[Abstract])
}

// add appends a posting; its slot must exceed the last one's.
func (l *plist) add(slot uint32, tf [numFields]uint8) {
	l.data = binary.AppendUvarint(l.data, uint64(slot-l.last))
	l.data = appendTF(l.data, tf)
	l.last = slot
	l.n++
	if l.n%blockSize != 0 {
		return
	}
	// close the open block: insert its header before it
	var h [2 * binary.MaxVarintLen32]byte
	hn := binary.PutUvarint(h[:], uint64(slot))
	hn += binary.PutUvarint(h[hn:], uint64(len(l.data)-int(l.open)))
	l.data = append(l.data, h[:hn]...)
	copy(l.data[int(l.open)+hn:], l.data[l.open:len(l.data)-hn])
	copy(l.data[l.open:], h[:hn])
	l.open = uint32(len(l.data))
}

// cursor reads a plist in order. After next or seek returned true, doc and
// tf are the current posting.
type cursor struct {
	data       []byte
	pos        int
	doc        uint32
	tf         [numFields]uint8
	inBlock    int  // postings left in the current block
	closedLeft int  // closed blocks not yet entered
	openN      int  // postings of the open block (0 once entered)
	valid      bool // doc and tf are a posting
}

func (l *plist) cursor() cursor {
	return cursor{data: l.data, closedLeft: int(l.n / blockSize), openN: int(l.n % blockSize)}
}

// enter moves to the next block whose last slot is ≥ target (skipping the
// others whole); false at the end of the list. Only at a block's end.
func (c *cursor) enter(target uint32) bool {
	for c.closedLeft > 0 {
		last, k := binary.Uvarint(c.data[c.pos:])
		c.pos += k
		nb, k := binary.Uvarint(c.data[c.pos:])
		c.pos += k
		c.closedLeft--
		if uint32(last) < target {
			c.pos += int(nb)
			c.doc = uint32(last) // the next block's gaps start from it
			continue
		}
		c.inBlock = blockSize
		return true
	}
	if c.openN > 0 {
		c.inBlock, c.openN = c.openN, 0
		return true
	}
	return false
}

// read decodes the posting at pos.
func (c *cursor) read() {
	b := c.data[c.pos:]
	if b[0] < 0x80 {
		c.doc += uint32(b[0])
		c.pos++
	} else {
		g, k := binary.Uvarint(b)
		c.doc += uint32(g)
		c.pos += k
	}
	t := c.data[c.pos]
	if t>>4 != 15 {
		c.tf = [numFields]uint8{t & 3, t >> 2 & 3, t >> 4}
		c.pos++
	} else {
		c.tf = [numFields]uint8{c.data[c.pos+1], c.data[c.pos+2], c.data[c.pos+3]}
		c.pos += 4
	}
	c.inBlock--
	c.valid = true
}

// next moves to the next posting.
func (c *cursor) next() bool {
	if c.inBlock == 0 && !c.enter(0) {
		c.valid = false
		return false
	}
	c.read()
	return true
}

// seek moves to the first posting, from the current one on, whose slot is
// ≥ target.
func (c *cursor) seek(target uint32) bool {
	if c.valid && c.doc >= target {
		return true
	}
	for {
		if c.inBlock == 0 && !c.enter(target) {
			c.valid = false
			return false
		}
		c.read()
		if c.doc >= target {
			return true
		}
	}
}
