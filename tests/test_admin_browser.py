"""End to end in a real browser: Debian's headless Chromium, driven over the Chrome
DevTools protocol, against the live server: log in, resync one knowledge reference from
its list, and find the new run on the sync runs page. Screenshots of every page land in
the test's temporary directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.models import User

from syncer.models import SyncRun
from syncer.sources import KNOWLEDGE
from syncer.store import store_open
from tests.browser import Browser, needs_chromium

pytestmark = [needs_chromium, pytest.mark.model]


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
    # mode with its record, the trigger below it; then the status
    assert f"single {row.pk}\nadmin\n\tsucceeded" in first_row.lower()
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
    assert "knowledge: Chroma holds 1 document but 2 rows are eligible." in findings
    shots = sorted(path.name for path in tmp_path.glob("*.png"))
    assert len(shots) == 7
    for name in shots:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
