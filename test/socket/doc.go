// Package socket tests f2b-server's control socket from the outside, as a
// hostile or merely busy peer would meet it: the socket file's path and
// mode (fail2ban.conf `socket`, 0600, root only), stale-socket handling
// (-x), many concurrent and pipelining clients, clients that stall or never
// read, malformed and malicious pickles (fail2ban/server/asyncserver.py
// answers them with a bare "ERROR: …" string and keeps the connection), and
// a load run of `set <jail> attempt` whose failures must all be counted.
//
// The package has only tests; they build the real binaries and run them on
// temporary configurations, like test/integration.
package socket
