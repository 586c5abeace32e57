# Test oracle: renders action commands with the installed fail2ban's
# CommandAction so the Go renderer can be compared with it.
# Input (stdin): JSON list of cases {props: [[k, v]...], op, family, ticket}.
# Output (stdout): JSON list of results: a string, a list (script + args),
# or {"error": msg}.
import json, sys
from fail2ban.server.action import CommandAction
from fail2ban.server.ipdns import IPAddr, DNSUtils

# fixed host name, as the Go side's test hostname
DNSUtils.getHostname = staticmethod(lambda fqdn=True: "host.example.org" if fqdn else "host")

def ainfo(t):
    ip = IPAddr(t["ip"])
    d = {
        "ip": ip, "family": ip.familyStr, "ip-rev": ip.getPTR(""), "ip-host": None,
        "fid": t.get("fid") or ip, "failures": t["failures"],
        "time": float(t["time"]), "bantime": t["bantime"], "bancount": t["bancount"],
        "matches": "\n".join(t["matches"]), "restored": 1 if t["restored"] else 0,
        "F-*": t["data"],
        "ipmatches": "\n".join(t["matches"]), "ipjailmatches": "\n".join(t["matches"]),
        "ipfailures": t["failures"], "ipjailfailures": t["failures"],
    }
    return d

def render(c):
    a = CommandAction(None, "oracle")
    for k, v in c["props"]:
        setattr(a, k, v)
    tag = "<" + c["op"] + ">"
    t = c.get("ticket")
    if t is None:
        cmd = a._getOperation(tag, c["family"])
        if c.get("empty_ticket"):
            # what _executeOperation adds for the jail's empty ticket
            cmd = a.replaceDynamicTags(cmd, {"ip": "", "fid": "", "ip-rev": "", "failures": 0,
                "bancount": 0, "matches": "", "restored": 0, "ipmatches": "", "ipjailmatches": "",
                "ipfailures": 0, "ipjailfailures": 0, "family": c["family"], "time": c["now"], "F-*": {}})
        return cmd
    info = ainfo(t)
    fam = info["family"]
    cmd = a.replaceTag(tag, a._properties,
        conditional=("family=" + fam if fam else ""), cache=a._substCache)
    return a.replaceDynamicTags(cmd, info)

out = []
for c in json.load(sys.stdin):
    try:
        out.append(render(c))
    except Exception as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
