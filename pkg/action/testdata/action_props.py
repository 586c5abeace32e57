# Test helper: prints, as JSON [[name, value], ...], the property list the
# installed fail2ban client would send for one action.d file, so firewall
# tests can run the stock actions before pkg/config is available.
# Usage: action_props.py <action> <jail> [key=value ...]
import json, sys
from fail2ban.client.actionreader import ActionReader

name, jail = sys.argv[1], sys.argv[2]
opts = dict(a.split("=", 1) for a in sys.argv[3:])
r = ActionReader(name, jail, opts, share_config={}, basedir="/etc/fail2ban")
if not r.read():
    sys.exit("cannot read action %s" % name)
r.getOptions({})
for cmd in r.convert():
    if cmd[0] == "multi-set":
        json.dump([[k, str(v)] for k, v in cmd[4]], sys.stdout)
        break
