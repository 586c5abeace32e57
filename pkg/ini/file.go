package ini

// DefaultSection is the name of the section whose keys every other section
// inherits.
const DefaultSection = "DEFAULT"

// File is one parsed INI file: its sections in order of first appearance.
// A section header that appears twice is an error, except [DEFAULT], whose
// keys are collected into one Section.
type File struct {
	Name     string
	Sections []*Section
}

// Section is one "[name]" block.
type Section struct {
	Name string
	Pos  Pos
	Keys []*Key
}

// Key is one option with its (already joined, comment-free) value.
type Key struct {
	Name  string // lower-cased
	Value string
	Pos   Pos
}

// Section returns the named section or nil.
func (f *File) Section(name string) *Section {
	for _, s := range f.Sections {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Key returns the named key (already lower-case) or nil.
func (s *Section) Key(name string) *Key {
	if s == nil {
		return nil
	}
	for _, k := range s.Keys {
		if k.Name == name {
			return k
		}
	}
	return nil
}
