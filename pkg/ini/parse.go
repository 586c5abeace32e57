package ini

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxFileSize caps ParseFile: fail2ban configuration files are a few
// kilobytes; anything this large is a mistake, not a config.
const MaxFileSize = 4 << 20

// ErrNotUTF8 is wrapped when a file is not valid UTF-8 (fail2ban skips such
// include files with an error).
var ErrNotUTF8 = fmt.Errorf("not valid UTF-8")

// ParseFile reads and parses the named file, refusing files larger than
// MaxFileSize.
func ParseFile(name string) (*File, error) {
	bp := readBufs.Get().(*[]byte)
	defer putReadBuf(bp)
	data, err := readFile(name, *bp)
	*bp = data
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Op == "open" {
			return nil, err
		}
		return nil, fmt.Errorf("reading %q: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("reading %q: larger than %d bytes", name, MaxFileSize)
	}
	return ParseBytes(name, data)
}

// readBufs lends ParseFile the buffer a file is read into: the parsed
// file keeps none of it (its text is copied into one string), and a
// client that reads a whole tree with the collector off would otherwise
// take fresh pages for every file.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// putReadBuf returns a buffer to readBufs unless a huge file grew it.
func putReadBuf(bp *[]byte) {
	if cap(*bp) <= 256<<10 {
		*bp = (*bp)[:0]
		readBufs.Put(bp)
	}
}

// Parse parses one INI file read from r; name is used in positions.
func Parse(name string, r io.Reader) (*File, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading %q: %w", name, err)
	}
	return ParseBytes(name, data)
}

// ParseBytes parses data. On syntax errors it returns the part that could
// be read together with an ErrorList naming every bad line.
func ParseBytes(name string, data []byte) (*File, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("decoding %q: %w", name, ErrNotUTF8)
	}
	p := &parser{file: &File{Name: name}}
	n := 0
	for line := range splitLines(data) {
		n++
		p.line(n, line)
	}
	p.finish()
	return p.file, p.errs.Err()
}

// splitLines splits like Python's universal-newline text mode: "\n", "\r\n"
// and "\r" all end a line. The lines are substrings of one copy of data.
func splitLines(data []byte) iter.Seq[string] {
	s := string(data)
	if bytes.IndexByte(data, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	s = strings.TrimSuffix(s, "\n")
	if s == "" && len(data) == 0 {
		return func(func(string) bool) {}
	}
	return strings.SplitSeq(s, "\n")
}

type parser struct {
	file   *File
	errs   ErrorList
	cur    *Section
	key    *Key
	parts  []string // value lines of key
	indent int
	byName map[string]*Section // see sectionNamed
}

func (p *parser) line(n int, line string) {
	// Leading whitespace is trimmed once: the comment test, the value and
	// the indent all start from it.
	rest := trimLeft(line)
	indent := len(line) - len(rest)
	start := commentStartRest(line, rest)
	value := ""
	if start > indent {
		value = trimRight(line[indent:start]) // trim(line[:start])
	}
	if value == "" {
		if start == len(line) && p.key != nil {
			p.parts = append(p.parts, "")
		}
		return
	}
	if p.cur != nil && p.key != nil && indent > p.indent {
		p.parts = append(p.parts, value)
		return
	}
	p.indent = indent
	pos := Pos{File: p.file.Name, Line: n}
	if name, ok := sectionHeader(value); ok {
		p.section(pos, name)
		return
	}
	if p.cur == nil {
		p.errs.Add(pos, "option outside of any section: %q", line)
		return
	}
	p.option(pos, value, line)
}

// delimiter is strings.IndexAny(value, "=:"): the name before it is
// short, and IndexAny builds its byte set on every call.
func delimiter(value string) int {
	for i := 0; i < len(value); i++ {
		if c := value[i]; c == '=' || c == ':' {
			return i
		}
	}
	return -1
}

// commentStart returns the index where the comment of line begins, or
// len(line) when it has none.
func commentStart(line string) int { return commentStartRest(line, trimLeft(line)) }

// commentStartRest is commentStart with rest = trimLeft(line): a line is
// a whole comment when its stripped text starts with '#' or ';', and
// stripping the right end cannot change how it starts.
func commentStartRest(line, rest string) int {
	if strings.HasPrefix(rest, "#") || strings.HasPrefix(rest, ";") {
		return 0
	}
	for i := 0; i < len(line); i++ {
		k := strings.IndexByte(line[i:], ';')
		if k < 0 {
			break
		}
		i += k
		if i == 0 {
			return 0
		}
		r, _ := utf8.DecodeLastRuneInString(line[:i])
		if isSpace(r) {
			return i
		}
	}
	return len(line)
}

// sectionHeader matches configparser's permissive "\[(?P<header>.+)\]":
// the name runs to the last ']' of the stripped line.
func sectionHeader(v string) (string, bool) {
	if !strings.HasPrefix(v, "[") {
		return "", false
	}
	end := strings.LastIndexByte(v, ']')
	if end < 2 {
		return "", false
	}
	return v[1:end], true
}

func (p *parser) section(pos Pos, name string) {
	p.flush()
	p.key = nil
	if s := p.sectionNamed(name); s != nil {
		// A repeated header reopens its section; only [DEFAULT] may.
		if name != DefaultSection {
			p.errs.Add(pos, "section %q already exists in this file", name)
		}
		p.cur = s
		return
	}
	p.cur = &Section{Name: name, Pos: pos}
	p.file.Sections = append(p.file.Sections, p.cur)
	if p.byName != nil {
		p.byName[name] = p.cur
	}
}

// sectionNamed is p.file.Section(name) through an index once the file has
// more than a few sections: jail.conf has a hundred, and each header
// scanned all before it.
func (p *parser) sectionNamed(name string) *Section {
	if p.byName == nil && len(p.file.Sections) >= sectionIndexMin {
		p.byName = make(map[string]*Section, 2*len(p.file.Sections))
		for _, s := range p.file.Sections {
			if _, dup := p.byName[s.Name]; !dup {
				p.byName[s.Name] = s // the first, as Section finds it
			}
		}
	}
	if p.byName != nil {
		return p.byName[name]
	}
	return p.file.Section(name)
}

// sectionIndexMin is the number of sections from which sectionNamed
// indexes them.
const sectionIndexMin = 16

func (p *parser) option(pos Pos, value, line string) {
	i := delimiter(value)
	if i < 0 || trim(value[:i]) == "" {
		p.flush()
		p.key = nil
		p.errs.Add(pos, "line is neither a section, an option nor a comment: %q", line)
		return
	}
	p.flush()
	name := strings.ToLower(trimRight(value[:i]))
	// The section holds every option seen under its name so far (a
	// repeated header reopens it), flushed above: a look through its few
	// keys beats hashing every option of every file into a set.
	if p.cur.Key(name) != nil {
		p.errs.Add(pos, "section %q: option %q already exists in this file", p.cur.Name, name)
	}
	p.key = &Key{Name: name, Pos: pos}
	p.parts = append(p.parts[:0], trim(value[i+1:]))
}

// flush stores the value collected for the current key.
func (p *parser) flush() {
	if p.key == nil {
		return
	}
	v := trimRight(strings.Join(p.parts, "\n"))
	p.key.Value = v
	p.parts = p.parts[:0]
	if k := p.cur.Key(p.key.Name); k != nil {
		k.Value, k.Pos = v, p.key.Pos
	} else {
		p.cur.Keys = append(p.cur.Keys, p.key)
	}
	p.key = nil
}

func (p *parser) finish() { p.flush() }
