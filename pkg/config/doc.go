// Package config loads a fail2ban configuration tree and turns it into the
// command stream fail2ban-client sends to the server (and prints with -d).
// It mirrors fail2ban's client/configreader.py, configparserinc.py,
// jailreader.py, jailsreader.py, filterreader.py, actionreader.py,
// fail2banreader.py and the option helpers of helpers.py:
//
//   - logical names and file sets: N.conf, N.d/*.conf, N.local,
//     N.d/*.local, [INCLUDES] before/after with .local siblings;
//   - merging with the hidden KNOWN/<section> history for %(known/x)s;
//   - %(x)s interpolation in the reading section's context (vars first,
//     then the section, then [DEFAULT]), %(sec/x)s and %(__name__)s;
//   - <tag> substitution of filter and action options;
//   - name[k=v, k2="a,b"] argument lists and action-list splitting;
//   - the two-pass jail reader, the filter option injection into the jail
//     as known/*, and the exact emission order of the stream;
//   - str2seconds time strings (Str2Seconds).
//
// Load never stops at the first problem: per-jail errors become the same
// config-error entries fail2ban emits, and every problem (with file:line)
// is collected for f2b-client -t. Only the server package turns the
// stream's strings into typed settings.
//
// Speed: jails are read in order on one goroutine (reading mutates shared
// stores and decides the first fatal error), while two more build the
// stores of the filters they will ask for and read those filters
// (prefetch.go) and another runs the tag substitution of the jails read
// so far and builds their part of the stream, in batches (prepare.go).
// Results are adopted and the stream is assembled in jail order, so the
// output and the reported errors do not depend on the goroutines; Dump
// renders a long stream's halves concurrently. Jails whose action (or
// filter) options differ only in a few plain words share one tag
// substitution with placeholders for those words (combmemo.go), held to
// substituting directly by FuzzCombMemo.
package config
