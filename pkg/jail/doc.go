// Package jail is one fail2ban jail's ban logic, independent of where
// failures come from (the server feeds them from the filter or from
// "set <jail> attempt") and of how actions run (the server adapts
// pkg/action to the Actions interface).
//
// It mirrors fail2ban/server/failmanager.py (failures counted per id with
// the findtime rate rescaling, maxretry, maxmatches), banmanager.py and
// actions.py (ban list in ban order, end-of-ban schedule, banip/unbanip,
// flush on stop), observer.py (bantime.increment: factor, formula,
// multipliers, maxtime, rndtime, overalljails and the "bad IP" retry
// acceleration) and the ignore rules of filter.py (ignoreself, ignoreip,
// ignorecommand, ignorecache), plus the restore of bans at jail start from
// jail.py.
//
// The unban schedule is a binary heap, so banning and unbanning stay
// O(log n) with a million active bans; the ban order is an intrusive
// doubly linked list. Formulas are evaluated by a small arithmetic
// evaluator, never by a Python interpreter or a shell.
package jail
