"""Drive the real Label Studio interface in headless Chromium: a screenshot, an offset check.

    set -a; . .labelstudio/credentials.env; set +a     # a server from `annotate serve`
    python docs/tools/labelstudio_browser.py screenshot PROJECT_ID TASK_ID OUT.png [REGION]
    python docs/tools/labelstudio_browser.py check PROJECT_ID TASK_ID WORD [WORD ...]

`screenshot` opens a task, selects the region whose text is REGION (so the attribute
panel shows) and saves a PNG. `check` selects each WORD in the text as a person would
(a DOM selection and a mouseup), labels it ACTOR, submits, and prints the offsets Label
Studio stored next to the Python offsets of the word: this is how we know that Label
Studio 1.23 counts code points (emoji, CRLF and repeated spaces included).

It logs in with the known admin user (Django's login form, over httpx), hands the session
cookie to Chromium through the DevTools protocol (a minimal WebSocket client, standard
library only) and reads credentials from the environment without printing them.
Needs `chromium` (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]
SELECT_ACTOR = """(() => {
  const all = [...document.querySelectorAll('[class*=label]')]
    .filter(e => e.textContent.trim().startsWith('ACTOR'));
  const label = all.filter(e => !all.some(o => o !== e && e.contains(o)))[0];
  if (label) label.click();
  return !!label; })()"""
SELECT_WORD = """((word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const i = node.nodeValue.indexOf(word);
    if (i < 0 || !node.parentElement.closest('[class*=richtext]')) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + word.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const box = range.getBoundingClientRect();
    node.parentElement.dispatchEvent(new MouseEvent('mouseup',
      {bubbles: true, clientX: box.right, clientY: box.bottom}));
    return true;
  }
  return false; })(%s)"""
CLICK_REGION = """((text) => { const el = [...document.querySelectorAll('.htx-highlight')]
  .find(e => e.textContent.trim() === text); if (el) el.click(); return !!el; })(%s)"""
SUBMIT = """(() => { const b = [...document.querySelectorAll('button')]
  .find(b => ['Submit', 'Update'].includes(b.textContent.trim()));
  if (b) b.click(); return !!b; })()"""


def login(url: str) -> dict[str, str]:
    client = httpx.Client(base_url=url)
    page = client.get("/user/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    client.post("/user/login/", headers={"Referer": f"{url}/user/login/"},
                data={"email": os.environ["LABEL_STUDIO_USERNAME"],
                      "password": os.environ["LABEL_STUDIO_PASSWORD"],
                      "csrfmiddlewaretoken": token})
    return {c.name: c.value for c in client.cookies.jar}


class DevTools:
    """Just enough WebSocket (RFC 6455) to send CDP commands and read their replies."""

    def __init__(self, ws_url: str) -> None:
        host, port, path = re.match(r"ws://([^:/]+):(\d+)(/.*)", ws_url).groups()
        self.sock = socket.create_connection((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        self.next_id = 0

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            data += self.sock.recv(n - len(data))
        return data

    def _frame(self) -> bytes:
        payload = b""
        while True:
            b0, b1 = self._read(2)
            size = b1 & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._read(8))[0]
            payload += self._read(size)
            if b0 & 0x80:
                return payload

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        size = len(data)
        head = bytes([0x81])
        if size < 126:
            head += bytes([0x80 | size])
        elif size < 65536:
            head += bytes([0x80 | 126]) + struct.pack(">H", size)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", size)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            message = json.loads(self._frame())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


@contextlib.contextmanager
def task_page(url: str, project: str, task: str) -> Iterator[DevTools]:
    """A logged-in headless Chromium showing one task."""
    cookies = login(url)
    profile = tempfile.mkdtemp(prefix="chromium-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    browser = subprocess.Popen(["chromium", *FLAGS, f"--user-data-dir={profile}",
                                f"--remote-debugging-port={port}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        pages = []
        for _ in range(100):
            with contextlib.suppress(httpx.HTTPError):
                pages = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
                break
            time.sleep(0.2)
        page = next(p for p in pages if p["type"] == "page")
        cdp = DevTools(page["webSocketDebuggerUrl"])
        cdp.send("Network.enable")
        for name, value in cookies.items():
            cdp.send("Network.setCookie", name=name, value=value, domain="127.0.0.1", path="/")
        cdp.send("Emulation.setDeviceMetricsOverride", width=1500, height=1100,
                 deviceScaleFactor=1, mobile=False)
        cdp.send("Page.enable")
        cdp.send("Page.navigate", url=f"{url}/projects/{project}/data?task={task}")
        time.sleep(12)  # the labeling app loads its bundle and the task
        yield cdp
    finally:
        browser.terminate()
        browser.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(url: str, project: str, task: str, out: str, region: str = "") -> None:
    with task_page(url, project, task) as cdp:
        if region:
            cdp.evaluate(CLICK_REGION % json.dumps(region))
            time.sleep(2)
        shot = cdp.send("Page.captureScreenshot", format="png")
    with open(out, "wb") as handle:
        handle.write(base64.b64decode(shot["data"]))


def check(url: str, project: str, task: str, words: list[str]) -> None:
    with task_page(url, project, task) as cdp:
        for word in words:
            assert cdp.evaluate(SELECT_ACTOR), "no ACTOR label button"
            time.sleep(0.5)
            assert cdp.evaluate(SELECT_WORD % json.dumps(word)), f"{word!r} not in the text"
            time.sleep(1)
        cdp.evaluate(SUBMIT)
        time.sleep(3)
    headers = {"Authorization": f"Token {os.environ['LABEL_STUDIO_API_KEY']}"}
    data = httpx.get(f"{url}/api/tasks/{task}", headers=headers).json()
    text = data["data"]["text"]
    for item in data["annotations"][-1]["result"]:
        value = item["value"]
        start = text.index(value["text"])
        utf16 = len(text[:start].encode("utf-16-le")) // 2
        print(f"{value['text']!r}: stored {value['start']}-{value['end']}, "
              f"Python {start}-{start + len(value['text'])}, UTF-16 start {utf16}")


if __name__ == "__main__":
    base = os.environ["LABEL_STUDIO_URL"].rstrip("/")
    command, args = sys.argv[1], sys.argv[2:]
    if command == "screenshot":
        screenshot(base, *args)
    else:
        check(base, args[0], args[1], args[2:])
