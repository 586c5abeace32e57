# Prints, as JSON, the action properties fail2ban's own ActionReader sends
# for each action named on the command line, for a jail "sshd" whose
# options are given as JSON in argv[2] (test oracle; Debian's python3).
import json, sys
from fail2ban.client.actionreader import ActionReader
from fail2ban.helpers import extractOptions

basedir, jailopts = sys.argv[1], json.loads(sys.argv[2])
out = {}
for spec in sys.argv[3:]:
    name, args = extractOptions(spec)
    try:
        r = ActionReader(name, "sshd", args, share_config={}, basedir=basedir)
        if not r.read():
            out[spec] = {"error": "unreadable"}
            continue
        r.getOptions(jailopts)
        stream = r.convert()
    except Exception as e:
        out[spec] = {"error": str(e)}
        continue
    props = []
    for cmd in stream[1:]:
        if cmd[0] == "multi-set":
            props += [[k, v] for k, v in cmd[4]]
        else:
            props.append([cmd[4], cmd[5]])
    out[spec] = {"actname": stream[0][3], "props": props}
json.dump(out, sys.stdout)
