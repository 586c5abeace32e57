package config

import (
	"strings"
	"testing"
)

// TestOptSpecs_LowerCase guards getOptionsVars, which looks the names of
// the option templates up without lower-casing them as get does.
func TestOptSpecs_LowerCase(t *testing.T) {
	for _, tt := range []struct {
		name  string
		specs []optSpec
	}{
		{"jailOpts1st", jailOpts1st},
		{"jailOpts", jailOpts},
		{"filterOpts", filterOpts},
		{"actionOpts", actionOpts},
		{"earlyOpts", earlyOpts},
		{"generalOpts", generalOpts},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, o := range tt.specs {
				if o.name != strings.ToLower(o.name) {
					t.Errorf("option %q is not in lower case", o.name)
				}
			}
		})
	}
}
