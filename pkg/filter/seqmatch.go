package filter

import (
	"regexp/syntax"
	"slices"
)

// Once <ADDR> is a plain byte run, many failregexes (php-api's among
// them) are a start-anchored sequence of literals and character-class
// runs in which every run is followed by something that cannot begin with
// a byte of the run. Such a pattern has at most one way to match, found
// by a single left-to-right walk that takes each run whole: stopping a
// run early would leave a run byte where the next element cannot start.
// The seqMatcher is that walk, for ASCII text; for anything else it is
// not built and Go's regexp runs.

type seqOp uint8

const (
	seqLit seqOp = iota + 1
	seqRun
	seqCapStart
	seqCapEnd
	seqEndText
	seqEndLine
)

// seqElem is one step of the walk.
type seqElem struct {
	op       seqOp
	lit      string
	set      byteSet
	in       *[256]bool // set as a table: one load per byte of a run
	min, max int        // run length bounds; max -1: unbounded
	capIdx   int
}

// seqMaxCap bounds the capture groups a seqMatcher fills (a stack array).
const seqMaxCap = 15

// seqMatcher walks a deterministic start-anchored sequence.
type seqMatcher struct {
	elems []seqElem
	steps []step // elems as match runs them
	ncap  int
}

// newSeqMatcher returns the walk for src (Go syntax, as compiled), or nil
// when src is not such a sequence.
func newSeqMatcher(src string) *seqMatcher {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	s := &seqMatcher{ncap: re.MaxCap()}
	if s.ncap > seqMaxCap {
		return nil
	}
	for _, sub := range re.Sub[1:] {
		if !s.add(sub) {
			return nil
		}
	}
	for i := range s.elems {
		if !s.deterministic(i) {
			return nil
		}
	}
	s.compileSteps()
	return s
}

// add appends the steps for re; false if re is not supported.
func (s *seqMatcher) add(re *syntax.Regexp) bool {
	if re.Flags&syntax.FoldCase != 0 {
		return false
	}
	switch re.Op {
	case syntax.OpEmptyMatch:
		return true
	case syntax.OpLiteral:
		lit := string(re.Rune)
		if !isASCII(lit) {
			return false
		}
		s.elems = append(s.elems, seqElem{op: seqLit, lit: lit})
		return true
	case syntax.OpCapture:
		s.elems = append(s.elems, seqElem{op: seqCapStart, capIdx: re.Cap})
		if !s.add(re.Sub[0]) {
			return false
		}
		s.elems = append(s.elems, seqElem{op: seqCapEnd, capIdx: re.Cap})
		return true
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !s.add(sub) {
				return false
			}
		}
		return true
	case syntax.OpEndText:
		s.elems = append(s.elems, seqElem{op: seqEndText})
		return true
	case syntax.OpEndLine:
		s.elems = append(s.elems, seqElem{op: seqEndLine})
		return true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return s.addRun(re, 1, 1)
	case syntax.OpStar:
		return s.addRun(re.Sub[0], 0, -1) && re.Flags&syntax.NonGreedy == 0
	case syntax.OpPlus:
		return s.addRun(re.Sub[0], 1, -1) && re.Flags&syntax.NonGreedy == 0
	case syntax.OpQuest:
		return s.addRun(re.Sub[0], 0, 1) && re.Flags&syntax.NonGreedy == 0
	case syntax.OpRepeat:
		return s.addRun(re.Sub[0], re.Min, re.Max) && re.Flags&syntax.NonGreedy == 0
	}
	return false
}

// addRun appends a run of bytes matched by the single-character re.
func (s *seqMatcher) addRun(re *syntax.Regexp, lo, hi int) bool {
	var set byteSet
	switch {
	case re.Flags&syntax.FoldCase != 0:
		return false
	case re.Op == syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			addByteRange(&set, int(re.Rune[i]), int(min(re.Rune[i+1], 0x7f)))
		}
	case re.Op == syntax.OpLiteral && len(re.Rune) == 1 && re.Rune[0] < 0x80:
		set.add(byte(re.Rune[0]))
	case re.Op == syntax.OpAnyChar:
		addByteRange(&set, 0, 0x7f)
	case re.Op == syntax.OpAnyCharNotNL:
		addByteRange(&set, 0, 0x7f)
		set[0] &^= 1 << '\n'
	default:
		return false
	}
	in := new([256]bool)
	for b := range in {
		in[b] = set.has(byte(b))
	}
	s.elems = append(s.elems, seqElem{op: seqRun, set: set, in: in, min: lo, max: hi})
	return true
}

// deterministic checks that a variable-length run at i cannot be cut
// short: no byte it takes can start what follows.
func (s *seqMatcher) deterministic(i int) bool {
	e := &s.elems[i]
	if e.op != seqRun || e.min == e.max {
		return true
	}
	var follow byteSet
	for _, n := range s.elems[i+1:] {
		switch n.op {
		case seqLit:
			follow.add(n.lit[0])
		case seqRun:
			follow.union(&n.set)
		case seqEndLine:
			follow.add('\n')
		}
		if n.op == seqLit || n.op == seqRun && n.min > 0 {
			break
		}
	}
	for k := range follow {
		if follow[k]&e.set[k] != 0 {
			return false
		}
	}
	return true
}

// match walks text (ASCII) and fills loc (2*(ncap+1) entries) on success.
func (s *seqMatcher) match(text string, loc []int) bool {
	pos := 0
	for i := range s.steps {
		e := &s.steps[i]
		for _, k := range e.marks {
			loc[k] = pos
		}
		switch e.op {
		case seqRun:
			t := text
			if e.max >= 0 && e.max < len(t)-pos {
				t = t[:pos+e.max]
			}
			start, in := pos, e.in
			for pos < len(t) && in[t[pos]] {
				pos++
			}
			if pos-start < e.min {
				return false
			}
		case seqLit:
			if len(text)-pos < len(e.lit) || text[pos] != e.lit[0] || text[pos:pos+len(e.lit)] != e.lit {
				return false
			}
			pos += len(e.lit)
		case seqEndText:
			if pos != len(text) {
				return false
			}
		case seqEndLine:
			if pos != len(text) && text[pos] != '\n' {
				return false
			}
		}
	}
	loc[0], loc[1] = 0, pos
	return true
}

// step is one element of the walk as match runs it: the capture
// boundaries just before it (marks: loc slots that take the position)
// folded into the element that follows them, or into a final no-op step.
type step struct {
	seqElem
	marks []int
}

// dropMarks removes the marks of capture groups caps from the walk: for
// groups whose offsets the caller sets itself (the host matcher's empty
// ip4/ip6/dns placeholders), leaving them at the -1 the caller filled in.
func (s *seqMatcher) dropMarks(caps ...int) {
	for i := range s.steps {
		s.steps[i].marks = slices.DeleteFunc(slices.Clone(s.steps[i].marks), func(k int) bool {
			return slices.Contains(caps, k/2)
		})
		if len(s.steps[i].marks) == 0 {
			s.steps[i].marks = nil
		}
	}
}

// compileSteps folds the capture elements into marks.
func (s *seqMatcher) compileSteps() {
	var marks []int
	for _, e := range s.elems {
		switch e.op {
		case seqCapStart:
			marks = append(marks, 2*e.capIdx)
		case seqCapEnd:
			marks = append(marks, 2*e.capIdx+1)
		default:
			s.steps = append(s.steps, step{seqElem: e, marks: marks})
			marks = nil
		}
	}
	if marks != nil {
		s.steps = append(s.steps, step{marks: marks})
	}
}
