"""End to end in a real browser: Debian's headless Chromium, driven over the Chrome
DevTools protocol, against the live server: log in, resync one knowledge reference from
its list, and find the new run on the sync runs page. Screenshots of every page land in
the test's temporary directory."""

from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websocket
from django.contrib.admin.utils import quote
from django.contrib.auth.models import User

from syncer.models import SyncRun
from syncer.sources import KNOWLEDGE
from syncer.store import store_open

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

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is missing: `apt-get install -y chromium` (.ci/run does)",
    ),
    pytest.mark.model,
]


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

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        assert path.stat().st_size > 1000


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = Browser(tmp_path / "chromium-profile", tmp_path / "chromium.log")
    try:
        yield chromium
    finally:
        chromium.close()


def test_resync_one_row_from_the_admin_in_a_real_browser(
    live_server: Any,
    transactional_db: None,  # the live server's thread reads committed rows
    chroma: str,
    make_knowledge: Any,
    browser: Browser,
    tmp_path: Path,
) -> None:
    User.objects.create_superuser("operator", password="a-long-test-password")
    row = make_knowledge(title={"en": "Breathe before you answer"})
    other = make_knowledge()
    base = live_server.url

    browser.open(f"{base}/admin/login/?next=/admin/")
    browser.screenshot(tmp_path / "1-login.png")
    browser.submit(
        "document.querySelector('#id_username').value = 'operator';"
        "document.querySelector('#id_password').value = 'a-long-test-password';"
        "document.querySelector('#login-form').submit();"
    )
    assert browser.js("location.pathname") == "/admin/"
    browser.screenshot(tmp_path / "2-index.png")

    browser.open(f"{base}/admin/knowledge/knowledgereference/")
    browser.screenshot(tmp_path / "3-knowledge-list.png")
    state_of = (
        "Object.fromEntries([...document.querySelectorAll('#result_list tbody tr')].map(tr =>"
        " [tr.querySelector('input.action-select').value,"
        " tr.querySelector('.sync-state').dataset.state]))"
    )
    assert browser.js(state_of) == {row.pk: "no collection", other.pk: "no collection"}

    browser.submit(
        f"document.querySelector('input.action-select[value=\"{row.pk}\"]').click();"
        "document.querySelector('select[name=action]').value = 'sync_selected';"
        "document.querySelector('button[name=index]').click();"
    )
    browser.screenshot(tmp_path / "4-after-sync-action.png")
    messages = browser.js("document.querySelector('ul.messagelist').innerText")
    assert "Synced 1 knowledge reference(s): 1 upserted" in messages
    assert browser.js(state_of) == {row.pk: "in sync", other.pk: "missing"}
    assert set(store_open(KNOWLEDGE.collection_name).metadatas([row.pk, other.pk])) == {row.pk}

    run = SyncRun.objects.get()
    assert (run.mode, run.trigger, run.status, run.record_id) == (
        "single",
        "admin",
        "succeeded",
        row.pk,
    )
    browser.open(f"{base}/admin/syncer/syncrun/")
    browser.screenshot(tmp_path / "5-sync-runs.png")
    first_row = browser.js("document.querySelector('#result_list tbody tr').innerText")
    assert f"#{run.pk}" in first_row
    assert "single\tadmin\tsucceeded" in first_row.lower() and row.pk in first_row
    assert "1 upserted" in first_row

    browser.open(f"{base}/admin/knowledge/knowledgereference/{quote(row.pk)}/change/")
    browser.screenshot(tmp_path / "6-knowledge-detail.png")
    assert browser.js("document.querySelector('.sync-state').dataset.state") == "in sync"
    assert "Breathe before you answer" in browser.js(
        "document.querySelector('.chroma-stored-text').innerText"
    )
    browser.open(f"{base}/admin/syncer/syncrun/overview/")
    browser.screenshot(tmp_path / "7-sync-overview.png")
    # The journeys collection was never built; one of two knowledge rows is in Chroma.
    assert browser.js("document.querySelector('[data-health]').dataset.health") == "down"
    findings = browser.js("document.querySelector('#overview-health ul').innerText")
    assert "knowledge: Chroma holds 1 document(s) but 2 row(s) are eligible" in findings
    shots = sorted(path.name for path in tmp_path.glob("*.png"))
    assert len(shots) == 7
    for name in shots:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
