"""Just enough of the Chrome DevTools protocol for the admin's browser tests: Debian's
headless Chromium, navigate, run JavaScript, size the viewport, take screenshots (the
``browser`` fixture is in conftest)."""

from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import websocket

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
TIMEOUT_SECONDS = 60

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing: `apt-get install -y chromium` (.ci/run does)",
)


class Browser:
    """Just enough of the DevTools protocol for this test: navigate, run JS, screenshot."""

    def __init__(self, profile: Path, log: Path) -> None:
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",  # Chromium picks a free port and writes it down
                "--no-proxy-server",
                "--window-size=1400,1000",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        port = self._wait_for_port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            page = next(t for t in json.load(reply) if t["type"] == "page")
        self._socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=TIMEOUT_SECONDS, suppress_origin=True
        )
        self.send("Page.enable")

    def _wait_for_port(self, port_file: Path) -> int:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            if port_file.exists() and port_file.read_text().strip():
                return int(port_file.read_text().split()[0])
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    def close(self) -> None:
        try:
            self._socket.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message_id = self._next_id
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._events.append(message)

    def _wait_for_load(self) -> None:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if any(e.get("method") == "Page.loadEventFired" for e in self._events):
                self._events.clear()
                return
            self._events.append(json.loads(self._socket.recv()))
        raise TimeoutError("the page did not finish loading")

    def open(self, url: str) -> None:
        self._events.clear()
        self.send("Page.navigate", url=url)
        self._wait_for_load()

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def submit(self, expression: str) -> None:
        """Run JS that submits a form, then wait for the page it leads to."""
        self._events.clear()
        self.js(expression)
        self._wait_for_load()

    def viewport(self, width: int, height: int) -> None:
        """Lay pages out as a window of this size would (a 1:1 desktop screen)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def wait_for(self, expression: str, *, timeout: float = TIMEOUT_SECONDS) -> Any:
        """Poll ``expression`` until it is truthy (the page updating itself); its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"not within {timeout:.0f}s: {expression}")
            time.sleep(0.2)

    def screenshot(self, path: Path, *, full_page: bool = False) -> None:
        """A PNG of the viewport, or of the whole page as tall as it is."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"]}
            params["clip"]["scale"] = 1
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        assert path.stat().st_size > 1000
