"""Screenshot of the Label Studio labeling interface for docs/annotation.md.

Usage (a server from `standoff annotate serve --detach` with a pushed project):
    set -a; . .labelstudio/credentials.env; set +a
    .venv/bin/python docs/img/labelstudio_screenshot.py PROJECT_ID TASK_ID OUT.png [REGION_TEXT]

Logs in with the known admin user (Django's login form, over httpx), hands the session
cookie to a headless Chromium through the DevTools protocol (a minimal WebSocket client,
stdlib only), opens the task, selects an EVENT region so its attribute panel shows, and
saves a PNG. The password and token are read from the environment and never printed.
"""

from __future__ import annotations

import base64
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

import httpx

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]


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


def main(project: str, task: str, out: str, region: str = "attacked") -> None:
    url = os.environ["LABEL_STUDIO_URL"].rstrip("/")
    cookies = login(url)
    profile = tempfile.mkdtemp(prefix="chromium-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    browser = subprocess.Popen(["chromium", *FLAGS, f"--user-data-dir={profile}",
                                f"--remote-debugging-port={port}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                pages = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
                break
            except httpx.HTTPError:
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
        time.sleep(12)
        # Select an EVENT region so the per-region attribute panel is on the picture.
        cdp.send("Runtime.evaluate", expression="""
            (() => { const el = [...document.querySelectorAll('.htx-highlight')]
                .find(e => e.textContent.trim() === %s);
              if (el) el.click(); return !!el; })()""" % json.dumps(region))
        time.sleep(2)
        shot = cdp.send("Page.captureScreenshot", format="png")
        with open(out, "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
    finally:
        browser.terminate()
        browser.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
