// Package e2e runs the real f2b-server against a copy of Debian's stock
// /etc/fail2ban tree and checks what a user would see: a client in another
// network namespace loses its TCP connection while nftables or iptables
// rules from the stock action.d files ban it and gets it back after the
// unban, and the stock recidive jail bans an IP by reading f2b-server's own
// log file.
//
// The tests need root, ip(8), nft and iptables for the firewall cases and
// the installed fail2ban configuration (only as a corpus of stock config
// files) for all cases; without them they skip, unless CI=true, where they
// fail. Addresses are taken only from 198.51.100.0/24 and fd42:f2b:e2e::/64.
package e2e
