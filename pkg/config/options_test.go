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

// TestOptSpecs_Unique: getOptionsVars appends each option of a template
// without looking for it first, which is right only if no template names
// an option twice.
func TestOptSpecs_Unique(t *testing.T) {
	for name, specs := range map[string][]optSpec{
		"jailOpts1st": jailOpts1st, "jailOpts": jailOpts, "filterOpts": filterOpts,
		"actionOpts": actionOpts, "earlyOpts": earlyOpts, "generalOpts": generalOpts,
	} {
		seen := map[string]bool{}
		for _, o := range specs {
			if seen[o.name] {
				t.Errorf("%s names %q twice", name, o.name)
			}
			seen[o.name] = true
		}
	}
}
