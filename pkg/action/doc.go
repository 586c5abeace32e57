// Package action implements fail2ban's command actions: the bag of string
// properties an action.d file turns into (actionstart, actionban, port, …),
// the two-phase tag substitution that renders a property into a shell
// command, and the start/check/ban/unban/flush/stop lifecycle that runs those
// commands through a Runner.
//
// It mirrors fail2ban/server/action.py (CommandAction) and the ticket tags
// of fail2ban/server/actions.py (ActionInfo):
//
//   - Phase A resolves properties against each other (`<port>`, nested
//     `<rule_match-<type>>`, `<prop>?family=inet6` overrides) with the same
//     self-reference and 25-replacement limits; configuration values are
//     trusted and pasted verbatim.
//   - Phase B inserts ticket values (`<ip>`, `<matches>`, `<F-USER>`, …) in a
//     single pass. A value holding any shell metacharacter never becomes part
//     of the script text: it is passed as a positional parameter and referenced
//     as `$f2bV_<tag>`, exactly as fail2ban does.
//
// The package is a leaf below pkg/jail so that the jail, the server's
// `set <jail> action …` dispatcher and the ignorecommand code can share one
// renderer; it never reads configuration files (pkg/config produces the
// property list) and never talks to the database (the jail fills the
// <ipmatches> family into the Ticket).
package action
