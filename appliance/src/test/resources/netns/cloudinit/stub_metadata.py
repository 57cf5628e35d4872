"""Development-only stand-in for the appliance's metadata service: one fixed VM, every flavour, request log.

Serves http://0.0.0.0:80 (EC2 tree under /latest and dated versions, OpenStack under /openstack, NoCloud under
/nocloud/) and the CloudStack password server on :8080, and logs each request to stderr. Used to develop crawl.py
before the real service exists; no committed test starts it.
"""

import http.server
import json
import sys
import threading

VM = {
    "instance-id": "i-waf-edge-1",
    "hostname": "waf-edge-1",
    "ip": "10.20.0.11",
    "mac": "02:00:00:aa:00:01",
    "extra_mac": "02:00:00:aa:01:01",
    "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGVrZXlleGFtcGxla2V5ZXhhbXBsZWtleQ ops@lab",
    "password": "Lab-Passw0rd-1",
}
USER_DATA = "#cloud-config\nhostname: waf-edge-1\nwrite_files:\n  - path: /etc/appliance-role\n    content: \"core 10.20.0.11\"\n"
VENDOR_DATA = "#cloud-config\nruncmd: [ \"echo vendor-waf\" ]\n"
TOKEN = "stub-token-0123456789"
password_state = {"pending": True}


def ec2_tree():
    tree = {
        "instance-id": VM["instance-id"],
        "local-hostname": VM["hostname"],
        "hostname": VM["hostname"],
        "local-ipv4": VM["ip"],
        "availability-zone": "lab",
        "placement/availability-zone": "lab",
        "public-keys/0/openssh-key": VM["key"],
    }
    for number, mac in enumerate([VM["mac"], VM["extra_mac"]]):
        base = "network/interfaces/macs/%s/" % mac
        tree[base + "device-number"] = str(number)
        tree[base + "mac"] = mac
        tree[base + "local-ipv4s"] = VM["ip"] if number == 0 else "192.0.2.10"
    return tree


def listing(tree, directory):
    names = []
    for path in tree:
        if path.startswith(directory):
            rest = path[len(directory):]
            name = rest.split("/", 1)[0] + ("/" if "/" in rest else "")
            if name not in names:
                names.append(name)
    if directory == "public-keys/":
        names = ["0=ops"]
    return "\n".join(names)


def ec2_answer(rest):
    tree = ec2_tree()
    if rest == "user-data":
        return USER_DATA
    if rest.startswith("meta-data/"):
        path = rest[len("meta-data/"):]
        if path == "" or path.endswith("/"):
            body = listing(tree, path)
            return body or None
        return tree.get(path)
    if rest == "dynamic/instance-identity":
        return "document"
    if rest == "dynamic/instance-identity/document":
        return json.dumps({"instanceId": VM["instance-id"], "region": "lab", "availabilityZone": "lab"})
    return None


OPENSTACK = {
    "meta_data.json": json.dumps({"uuid": VM["instance-id"], "hostname": VM["hostname"],
                                  "public_keys": {"ops": VM["key"]}, "availability_zone": "lab"}),
    "user_data": USER_DATA,
    "vendor_data.json": json.dumps({"cloud-init": VENDOR_DATA}),
    "vendor_data2.json": json.dumps({}),
    "network_data.json": json.dumps({
        "links": [{"id": "eth0", "type": "phy", "ethernet_mac_address": VM["mac"]},
                  {"id": "eth1", "type": "phy", "ethernet_mac_address": VM["extra_mac"]}],
        "networks": [{"id": "n0", "link": "eth0", "type": "ipv4_dhcp"},
                     {"id": "n1", "link": "eth1", "type": "ipv4", "ip_address": "192.0.2.10",
                      "netmask": "255.255.255.0",
                      "routes": [{"network": "0.0.0.0", "netmask": "0.0.0.0", "gateway": "192.0.2.1"}]}],
        "services": []}),
}

NOCLOUD = {
    "meta-data": "instance-id: %s\nlocal-hostname: %s\npublic-keys:\n  - %s\nnetwork-interfaces: |\n"
                 "  auto eth1\n  iface eth1 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n"
                 "    hwaddress %s\n" % (VM["instance-id"], VM["hostname"], VM["key"], VM["extra_mac"]),
    "user-data": USER_DATA,
    "vendor-data": VENDOR_DATA,
}


def answer(method, path, headers):
    if method == "PUT":
        return (200, TOKEN) if path == "/latest/api/token" else (404, None)
    if path == "/openstack":
        return 200, "2018-08-27\nlatest"
    if path.startswith("/openstack/2018-08-27/") or path.startswith("/openstack/latest/"):
        body = OPENSTACK.get(path.split("/", 3)[3])
        return (200, body) if body is not None else (404, None)
    if path.startswith("/nocloud/"):
        body = NOCLOUD.get(path[len("/nocloud/"):])
        return (200, body) if body is not None else (404, None)
    parts = path.lstrip("/").split("/", 1)
    if len(parts) == 2:
        body = ec2_answer(parts[1])
        if body is not None:
            return 200, body
    return 404, None


class MetadataHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def handle_any(self):
        status, body = answer(self.command, self.path, self.headers)
        token = self.headers.get("X-aws-ec2-metadata-token")
        sys.stderr.write("REQ %s %s %s -> %d%s\n" % (self.client_address[0], self.command, self.path, status,
                                                     " token" if token else ""))
        data = (body or "").encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = handle_any
    do_PUT = handle_any

    def log_message(self, *args):
        pass


class PasswordHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        verb = self.headers.get("DomU_Request", "")
        if verb == "send_my_password":
            body = VM["password"] if password_state["pending"] else "saved_password"
        elif verb == "saved_password":
            password_state["pending"] = False
            body = "saved_password"
        else:
            body = "bad_request"
        sys.stderr.write("PW %s %s %s -> %s\n" % (self.client_address[0], self.path, verb,
                                                  "password" if body == VM["password"] else body))
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    metadata = http.server.ThreadingHTTPServer(("0.0.0.0", 80), MetadataHandler)
    passwords = http.server.ThreadingHTTPServer(("0.0.0.0", 8080), PasswordHandler)
    threading.Thread(target=passwords.serve_forever, daemon=True).start()
    sys.stderr.write("stub metadata ready\n")
    sys.stderr.flush()
    metadata.serve_forever()


if __name__ == "__main__":
    main()
