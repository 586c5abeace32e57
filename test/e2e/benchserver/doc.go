// Command benchserver measures one server (f2b-server or the real
// fail2ban-server, started the same way on a copy of the stock
// /etc/fail2ban tree) for scripts/bench/server.sh: log ingestion speed, the
// latency from a log line to its actionban, idle memory with ten stock
// jails, and memory per active ban. It prints one figure per line as
// "key value" for the script to tabulate.
//
// Usage: benchserver -server BIN -client BIN -scenario ingest|latency|idle|bans
package main
