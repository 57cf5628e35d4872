#!/usr/bin/env python3
"""Hostile HTTP client for HostileHttpIT, run inside a lab client namespace (standard library only).

Reads a plan (JSON) and prints one JSON line of observations; judging them is the test's job. Every phase is
bounded in count and time:
- requests: each raw request sent once from its source address; the status line, the first bytes of the body and
  whether the server closed, read for at most 10 s;
- slowloris: connections that trickle a request head one byte per interval and never finish it; when the server
  closed each, for at most the phase budget;
- floods: as many connections as asked, from the given source addresses in turn, each sending one complete
  keep-alive request; admitted means an HTTP answer came, refused means the server closed without one. All
  sockets stay open until every flood is classified, so the server sees them as concurrent.
"""
import argparse
import json
import resource
import select
import socket
import threading
import time

READ_TIMEOUT = 10.0


def connect(source, host, port, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def run_request(case):
    started = time.monotonic()
    try:
        s = connect(case["source"], case["host"], case["port"], READ_TIMEOUT)
    except OSError as e:
        return {"name": case["name"], "error": "connect: %s" % e}
    with s:
        try:
            s.sendall(case["payload"].encode("latin-1"))
        except OSError:
            pass  # refused before it read everything: the answer may still be there
        data = b""
        closed = False
        deadline = started + READ_TIMEOUT
        while time.monotonic() < deadline:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
    text = data.decode("latin-1")
    head, _, body = text.partition("\r\n\r\n")
    status_line = head.split("\r\n", 1)[0]
    parts = status_line.split(" ")
    status = int(parts[1]) if len(parts) > 1 and status_line.startswith("HTTP/1.1 ") and parts[1].isdigit() else -1
    return {"name": case["name"], "target": case["target"], "expect": case["expect"],
            "odd_path": case.get("odd_path", False), "status": status, "closed": closed,
            "says_close": "\r\nconnection: close" in head.lower(), "responses": text.count("HTTP/1.1 "),
            "body": body[:300], "seconds": round(time.monotonic() - started, 3)}


def slowloris(plan, out):
    head = plan["head"].encode("latin-1")
    conns = []
    for target in plan["targets"]:
        for _ in range(plan["per_target"]):
            try:
                s = connect(plan["source"], target["host"], target["port"], READ_TIMEOUT)
            except OSError as e:
                conns.append({"target": target["name"], "error": str(e)})
                continue
            s.setblocking(False)
            conns.append({"target": target["name"], "sock": s, "opened": time.monotonic(), "sent": 0})
    started = time.monotonic()
    while time.monotonic() - started < plan["budget"] and any("sock" in c and "closed_after" not in c for c in conns):
        for c in conns:
            if "sock" not in c or "closed_after" in c:
                continue
            try:
                if c["sock"].recv(4096) == b"":
                    c["closed_after"] = time.monotonic() - c["opened"]
                    continue
            except BlockingIOError:
                pass
            except OSError:
                c["closed_after"] = time.monotonic() - c["opened"]
                continue
            if c["sent"] < len(head):
                try:
                    c["sent"] += c["sock"].send(head[c["sent"]:c["sent"] + 1])
                except BlockingIOError:
                    pass
                except OSError:
                    c["closed_after"] = time.monotonic() - c["opened"]
        time.sleep(plan["interval"])
    results = []
    for c in conns:
        if "sock" in c:
            c["sock"].close()
        results.append({"target": c["target"], "error": c.get("error"), "bytes_sent": c.get("sent", 0),
                        "closed_after": round(c["closed_after"], 2) if "closed_after" in c else None})
    out["slowloris"] = results


def flood(plan):
    payload = plan["payload"].encode("latin-1")
    socks = []
    connect_failed = 0
    started = time.monotonic()
    for i in range(plan["count"]):
        if time.monotonic() - started > plan["budget"]:
            break
        source = plan["sources"][i % len(plan["sources"])]
        try:
            s = connect(source, plan["host"], plan["port"], 3.0)
        except OSError:
            connect_failed += 1
            continue
        try:
            s.send(payload)
        except OSError:
            pass
        s.setblocking(False)
        socks.append(s)
    opened_seconds = time.monotonic() - started
    pending = {s.fileno(): s for s in socks}
    admitted = refused = 0
    poller = select.poll()
    for fd in pending:
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    wait_until = time.monotonic() + 15.0
    while pending and time.monotonic() < wait_until:
        for fd, _ in poller.poll(200):
            s = pending.pop(fd, None)
            if s is None:
                continue
            poller.unregister(fd)
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 "):
                admitted += 1
            else:
                refused += 1
    return {"name": plan["name"], "planned": plan["count"], "attempted": len(socks) + connect_failed,
            "connected": len(socks), "connect_failed": connect_failed, "admitted": admitted, "refused": refused,
            "unclassified": len(pending), "open_seconds": round(opened_seconds, 2), "sockets": socks}


def floods(plans, out):
    results = []
    for plan in plans:
        results.append(flood(plan))
    # Every flood's sockets were held until all were classified: the server saw them at the same time.
    for r in results:
        for s in r.pop("sockets"):
            s.close()
    out["floods"] = results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, sum(p["count"] for p in plan["floods"]) + 1024)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    out = {"nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0]}
    out["requests"] = [run_request(case) for case in plan["requests"]]
    threads = [threading.Thread(target=slowloris, args=(plan["slowloris"], out)),
               threading.Thread(target=floods, args=(plan["floods"], out))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
