#!/usr/bin/python3
"""Opens the fleet page in headless Chromium and reports, as one JSON line on stdout, what the page did.

Usage: fleet-page-probe.py --chromium PATH --url URL --profile DIR --rows N [--open MAC ...] [--control HTML]

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 carries commands to it, fd 4
its answers and events, each a JSON text ended by a NUL byte), so only the standard library is needed. Before the
page loads, the page's Content-Security-Policy is switched off (Page.setBypassCSP) and window.__fired = [] is
defined: whatever VM-sent text the page turned into markup would then run and push its marker there, so the result
shows escaping alone, not the policy that would also have stopped an inline handler. Steps: load the URL, wait for
N VM rows, click each --open row in turn and wait for its timeline, let the page poll a few more times, then read
the title, the markers, every element's tag and every attribute whose name starts with "on", the visible text and
every title attribute. Last, if --control is given, that HTML is put into the page with innerHTML, as an escaping
bug would, and whether it fired is reported: the proof that a payload which got through would have been seen.
"""

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time

DEADLINE_SECONDS = 60


class Browser:
    def __init__(self, chromium, profile):
        to_child_read, self.to_child = os.pipe()
        self.from_child, from_child_write = os.pipe()

        def wire_pipes():
            # Copies above 10 first, so neither dup2 overwrites the other's source; dup2 makes 3 and 4 inheritable.
            commands = fcntl.fcntl(to_child_read, fcntl.F_DUPFD, 10)
            answers = fcntl.fcntl(from_child_write, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.log = open(os.path.join(profile, "chromium.log"), "wb")
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-pipe", "--user-data-dir=" + os.path.join(profile, "profile"),
             "--window-size=1280,900", "about:blank"],
            # close_fds would also close 3 and 4 (it runs after preexec_fn); every other descriptor of ours is
            # close-on-exec anyway.
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, close_fds=False, preexec_fn=wire_pipes)
        os.close(to_child_read)
        os.close(from_child_write)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + " failed: " + json.dumps(reply["error"]))
                return reply.get("result", {})

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError("page script failed: " + expression + ": " + json.dumps(result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_until(self, expression, what):
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.2)
        raise RuntimeError("timed out waiting for " + what)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except RuntimeError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


SNAPSHOT = """(() => {
  const tags = {};
  const handlers = [];
  for (const node of document.querySelectorAll('*')) {
    tags[node.tagName.toLowerCase()] = (tags[node.tagName.toLowerCase()] || 0) + 1;
    for (const attribute of node.attributes) {
      if (attribute.name.toLowerCase().startsWith('on')) {
        handlers.push(node.tagName.toLowerCase() + ' ' + attribute.name);
      }
    }
  }
  return {
    title: document.title,
    fired: window.__fired,
    tags: tags,
    handlers: handlers,
    text: document.body.innerText,
    titles: [...document.querySelectorAll('[title]')].map((node) => node.getAttribute('title')),
    scripts: [...document.scripts].map((script) => script.src || '(inline)'),
  };
})()"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--open", action="append", default=[])
    parser.add_argument("--control")
    args = parser.parse_args()

    browser = Browser(args.chromium, args.profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                       session=False)["sessionId"]
        browser.send("Page.enable")
        browser.send("Runtime.enable")
        browser.send("Page.setBypassCSP", {"enabled": True})
        browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": "window.__fired = [];"})
        browser.send("Page.navigate", {"url": args.url})
        browser.wait_until("document.querySelectorAll('#vms tbody tr').length >= %d" % args.rows,
                           "%d VM rows" % args.rows)

        timelines = {}
        for mac in args.open:
            row = "document.querySelector('#vms tbody tr[data-mac=\"%s\"]')" % mac
            browser.evaluate(row + ".click()")
            browser.wait_until("!document.getElementById('timeline').hidden && "
                               "document.getElementById('timeline-title').textContent.includes('%s')" % mac,
                               "the timeline of " + mac)
            time.sleep(1.5)  # a poll or two redraws the table and the timeline from the API
            timelines[mac] = browser.evaluate("document.getElementById('timeline').innerText")
            browser.evaluate(row + ".click()")  # deselect: the next row's timeline replaces it cleanly
        result = browser.evaluate(SNAPSHOT)
        result["timelines"] = timelines

        if args.control is not None:
            browser.evaluate("(() => { const box = document.createElement('div'); box.id = 'control'; "
                             "document.body.append(box); box.innerHTML = %s; })()" % json.dumps(args.control))
            time.sleep(1.0)
            result["control_fired"] = browser.evaluate("window.__fired")
        print(json.dumps(result))
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
