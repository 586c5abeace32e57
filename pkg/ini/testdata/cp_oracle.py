# Test oracle: parses each file named on the command line with Python's
# configparser using fail2ban's settings and prints sections/keys as JSON
# (or {"error": ...}). Run with Debian's python3.
import configparser, json, sys

out = []
for name in sys.argv[1:]:
    cp = configparser.RawConfigParser(inline_comment_prefixes=(";",), strict=True,
        empty_lines_in_values=True)
    try:
        with open(name, encoding="utf-8") as f:
            cp.read_file(f, name)
    except Exception as e:
        out.append({"error": type(e).__name__})
        continue
    secs = []
    if cp.defaults():
        secs.append(["DEFAULT", [[k, v] for k, v in cp.defaults().items()]])
    for s in cp.sections():
        secs.append([s, [[k, v] for k, v in cp._sections[s].items()]])
    out.append({"sections": secs})
json.dump(out, sys.stdout)
