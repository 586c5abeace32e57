# Prints, as JSON, what fail2ban's own FilterReader resolves for each filter
# named on the command line (test oracle; run with Debian's python3).
import json, sys
from fail2ban.client.filterreader import FilterReader

basedir = sys.argv[1]
out = {}
for name in sys.argv[2:]:
    r = FilterReader(name, "jail", {}, share_config={}, basedir=basedir)
    if not r.read():
        out[name] = None
        continue
    try:
        r.getOptions({})
        o = r.getCombined()
    except Exception as e:
        out[name] = {"error": str(e)}
        continue
    lines = lambda k: [x for x in (o.get(k) or "").split("\n") if x]
    out[name] = {
        "failregex": lines("failregex"), "ignoreregex": lines("ignoreregex"),
        "prefregex": o.get("prefregex") or "", "datepattern": o.get("datepattern") or "",
        "journalmatch": o.get("journalmatch") or "", "maxlines": o.get("maxlines") or 1,
    }
json.dump(out, sys.stdout)
