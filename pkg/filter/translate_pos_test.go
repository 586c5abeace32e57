package filter

import "testing"

// TestTranslate_UnterminatedPosition: the error names the innermost open
// group's offset, as Python's re does (fail2ban-client prints it).
func TestTranslate_UnterminatedPosition(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "trailing", in: "^foo (", want: "missing ), unterminated subpattern at position 5"},
		{name: "nested", in: "((a", want: "missing ), unterminated subpattern at position 1"},
		{name: "outer", in: "(a(b)", want: "missing ), unterminated subpattern at position 0"},
		{name: "noncapturing", in: "x(?:y", want: "missing ), unterminated subpattern at position 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileRegex(tt.in, RegexOptions{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("CompileRegex(%q) error = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}
