package config

import "github.com/f2b/f2b/pkg/pyval"

// pformat mirrors pprint.pformat(v, width=1000, indent=2) for the values a
// stream holds.
func pformat(v any) string { return pyval.Repr(v) }
