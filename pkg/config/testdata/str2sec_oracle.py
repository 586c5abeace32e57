# Prints repr(str2seconds(s)) (or "error") for each JSON-encoded string on
# stdin, one per line (test oracle; Debian's python3).
import json, sys
from fail2ban.server.mytime import MyTime
for line in sys.stdin:
    s = json.loads(line)
    try:
        v = MyTime.str2seconds(s)
        print(repr(v) if isinstance(v, (int, float)) else "error")
    except Exception:
        print("error")
