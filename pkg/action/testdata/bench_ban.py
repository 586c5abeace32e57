# Benchmark helper: bans the addresses given on stdin (one per line) with
# the installed fail2ban's CommandAction and the property list in argv[1]
# (JSON, as printed by action_props.py); prints the elapsed seconds.
import json, sys, time
from fail2ban.server.action import CommandAction
from fail2ban.server.ipdns import IPAddr

a = CommandAction(None, "bench")
for k, v in json.load(open(sys.argv[1])):
    setattr(a, k, v)
ips = [IPAddr(l.strip()) for l in sys.stdin if l.strip()]
t0 = time.monotonic()
for ip in ips:
    a.ban({"ip": ip, "family": ip.familyStr, "fid": ip, "failures": 1, "time": time.time(),
           "bantime": 600, "bancount": 1, "matches": "", "restored": 0, "F-*": {}})
print("%.6f" % (time.monotonic() - t0))
