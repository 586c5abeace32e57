// Package ipaddr parses the failure ids and ignore-list entries that
// fail2ban handles as IPAddr objects (fail2ban/server/ipdns.py): single IPv4
// and IPv6 addresses, subnets written as addr/plen or addr/mask, and
// everything else (host names, arbitrary F-ID values) kept as raw text.
//
// It also provides Set, the ignoreip list with fail2ban's listing order,
// the ignoreself address discovery and the usedns policy values.
//
// It is a leaf package (stdlib only) so that the filter, the actions and
// the jail can share one notion of "an address" and print it the way
// fail2ban does: IPv4-mapped IPv6 becomes IPv4, a full-length prefix such
// as /32 is dropped, shorter prefixes keep "/plen" and the address is
// masked (192.0.2.5/24 prints as 192.0.2.0/24).
package ipaddr
