"""The admin as an operator sees it, in a real browser, under the documented
production-like setup: `collectstatic`, then gunicorn with DJANGO_DEBUG=false (the web
process serves the static files). Headless Chromium signs in, opens the overview with
charts drawn from a few dozen recorded runs and a run in progress, the lists at 1366x768
and 1920x1080, a run's page and the page of a row that cannot become a document, and
checks what a person would see. The screenshots are kept in a directory the test
prints (SCREENSHOTS_DIR, or test-artifacts/admin-browser/ in the project)."""

from __future__ import annotations

import os
import random
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.contrib.auth.models import User
from django.utils import timezone

from syncer.chroma_client import chroma_reset
from syncer.models import SyncRun, SyncRunSource
from syncer.services.records import sync_record
from syncer.services.runs import sync_run_execute
from tests.browser import Browser, needs_chromium
from tests.processes import ROOT, free_port, halasync_env, running, wait_until

pytestmark = [needs_chromium, pytest.mark.model]

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
PASSWORD = "a-long-test-password"
SECONDS = re.compile(r"\b\d{4}-\d{2}-\d{2}\s\d{2}:\d{2}:\d{2}\b")
# Non-transparent pixels of a canvas: drawn on, not blank.
DRAWN_PIXELS = (
    "(() => {{ const c = document.querySelector('{selector}');"
    " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
    " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }})()"
)
CHART_TOTAL = (
    "Chart.getChart(document.querySelector('{selector}')).data.datasets"
    ".flatMap(d => d.data).filter(v => v !== null).reduce((a, b) => a + b, 0)"
)


@pytest.fixture
def screenshots() -> Path:
    directory = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "test-artifacts" / "admin-browser"))
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.png"):
        old.unlink()
    return directory


def _history(now: Any) -> int:
    """A month of runs recorded as the services record them (counts per source, times,
    statuses), spread over 30 days: deterministic, so every run of the test draws the
    same charts."""
    rng = random.Random(16)
    created = 0
    for day in range(30):
        for _ in range(1 if day > 6 else 3):
            mode = "full" if rng.random() < 0.25 else "incremental"
            status = rng.choices(["succeeded", "partial", "failed"], [0.8, 0.12, 0.08])[0]
            finished = now - timedelta(days=day, hours=rng.uniform(0.5, 20))
            seconds = rng.uniform(20, 90) if mode == "full" else rng.uniform(0.4, 4)
            run = SyncRun.objects.create(
                mode=mode,
                trigger=rng.choice(["schedule", "schedule", "cli", "api"]),
                status=status,
                sources=["knowledge", "journeys"],
                started_at=finished - timedelta(seconds=seconds),
                finished_at=finished,
                error="RetriesExhausted: Chroma could not be reached" if status == "failed" else "",
            )
            SyncRun.objects.filter(pk=run.pk).update(created_at=run.started_at)
            for source in ("knowledge", "journeys"):
                scanned = rng.randint(200, 900) if mode == "full" else rng.randint(0, 40)
                upserted = rng.randint(0, scanned // 4)
                SyncRunSource.objects.create(
                    run=run,
                    source=source,
                    scanned=scanned,
                    total=scanned,
                    upserted=upserted,
                    metadata_updated=rng.randint(0, scanned // 8),
                    unchanged=scanned - upserted,
                    deleted=rng.randint(0, 3),
                    errors=rng.randint(1, 2) if status == "partial" else 0,
                    watermark_after=finished - timedelta(seconds=rng.uniform(0, 60)),
                )
            created += 1
    return created


def test_the_admin_as_an_operator_sees_it(
    transactional_db: None,  # gunicorn reads what the test committed
    chroma: str,
    static_root: Path,
    make_knowledge: Any,
    make_journey: Any,
    browser: Browser,
    screenshots: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    with capsys.disabled():
        print(f"\nadmin screenshots: {screenshots}")
    User.objects.create_superuser("operator", password=PASSWORD)
    now = timezone.now()
    assert _history(now) >= 36
    make_knowledge(
        id="ref_" + "long-id-without-spaces-" * 9,
        title={"en": "Breathe before you answer: " + "a long title that wraps " * 6},
    )
    for number in range(6):
        make_knowledge(title={"en": f"Calm heart {number}"}, updated_at=now - timedelta(hours=1))
    broken = make_journey(id="tpl_no_text", goal_keyword="", tags=[], full_json={})
    make_journey(goal_keyword="sleep", full_json={"goal": "Sleep better"})
    full = sync_run_execute(mode="full", trigger="cli")  # tpl_no_text: an invalid row
    assert full.status == "succeeded"
    sync_record(source="journeys", record_id=broken.pk, trigger="admin")
    running_run = SyncRun.objects.create(
        mode="full",
        trigger="schedule",
        status="running",
        sources=["knowledge"],
        started_at=timezone.now(),
    )
    SyncRunSource.objects.create(run=running_run, source="knowledge", scanned=300, total=1000)
    chroma_reset()  # gunicorn reads this directory from now on

    port = free_port()
    env = halasync_env(
        DJANGO_DEBUG="false",
        DJANGO_STATIC_ROOT=str(static_root),
        CHROMA_PATH=chroma,
        SYNC_LOG_FILE=str(tmp_path / "sync.log"),
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    args = [gunicorn, "halasync.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    args += ["--timeout", "120"]
    log = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with running(args, env=env, log=log) as server:
        wait_until(
            lambda: "Booting worker" in log.read_text(errors="replace"),
            timeout=60,
            what="gunicorn",
            process=server,
            log=log,
        )
        _sign_in(browser, base, screenshots)
        _overview(browser, base, screenshots, running_run)
        _lists(browser, base, screenshots)
        _run_page(browser, base, screenshots, full)
        _invalid_row_page(browser, base, screenshots, broken.pk)
    shots = sorted(path.name for path in screenshots.glob("*.png"))
    assert len(shots) >= 10, shots


def _styled(browser: Browser) -> bool:
    """The admin's stylesheet arrived (served by gunicorn) and applies."""
    loaded = browser.js(
        "[...document.styleSheets].some(s => s.href && s.href.endsWith("
        "'/static/admin/css/base.css') && s.cssRules.length > 50)"
    )
    header = browser.js("getComputedStyle(document.querySelector('#header')).backgroundColor")
    return bool(loaded) and header not in ("rgba(0, 0, 0, 0)", "transparent")


def _sign_in(browser: Browser, base: str, screenshots: Path) -> None:
    browser.viewport(*SIZES["1366x768"])
    browser.open(f"{base}/admin/login/?next=/admin/")
    assert _styled(browser)
    browser.screenshot(screenshots / "01-login-1366x768.png")
    browser.submit(
        "document.querySelector('#id_username').value = 'operator';"
        f"document.querySelector('#id_password').value = '{PASSWORD}';"
        "document.querySelector('#login-form').submit();"
    )
    assert browser.js("location.pathname") == "/admin/"
    assert browser.js("document.querySelector('#sync-overview-link a').textContent").strip()


def _overview(browser: Browser, base: str, screenshots: Path, running_run: SyncRun) -> None:
    for size, (width, height) in SIZES.items():
        browser.viewport(width, height)
        browser.open(f"{base}/admin/syncer/syncrun/overview/?window=30d")
        assert _styled(browser)
        for chart in ("#chart-durations", "#chart-documents", "#chart-runs"):
            assert browser.js(CHART_TOTAL.format(selector=chart)) > 0, chart
            assert browser.js(DRAWN_PIXELS.format(selector=chart)) > 2000, chart
        browser.screenshot(screenshots / f"02-overview-{size}.png", full_page=True)

    # The verdict wears the colour of its status in the run list (attention = partial).
    verdict = browser.js("document.querySelector('[data-health]').dataset.health")
    assert verdict == "attention"
    findings = browser.js("document.querySelector('#overview-health ul').innerText")
    assert "cannot become documents" in findings and "source application" in findings
    assert "`" not in findings
    colour_of = "getComputedStyle(document.querySelector('{}')).{}"
    assert browser.js(colour_of.format("[data-health]", "backgroundColor")) == browser.js(
        colour_of.format("#overview-last-runs .run-status.tone-attention", "color")
    )
    invalid = browser.js("document.querySelector('#overview-invalid tbody').innerText")
    assert "tpl_no_text" in invalid and "no text to embed" in invalid
    assert SECONDS.search(browser.js("document.querySelector('#overview-sources').innerText"))

    # Live progress: the page follows the run without reloading.
    progress = "document.querySelector('#overview-progress tbody').innerText"
    assert "300 / 1000 rows" in browser.js(progress)
    browser.js("window.notReloaded = true")
    SyncRunSource.objects.filter(run=running_run).update(scanned=700)
    browser.wait_for(f"{progress}.includes('700 / 1000 rows')", timeout=20)
    browser.screenshot(screenshots / "03-overview-progress-1920x1080.png")
    SyncRun.objects.filter(pk=running_run.pk).update(status="succeeded", finished_at=timezone.now())
    browser.wait_for(
        "document.querySelector('#progress-finished').innerText"
        f".includes('#{running_run.pk} succeeded')",
        timeout=20,
    )
    assert browser.js("window.notReloaded") is True
    assert "No run is queued or running." in browser.js(progress)


def _lists(browser: Browser, base: str, screenshots: Path) -> None:
    within_view = (
        "[...document.querySelectorAll('{selector}')].every(e => {{"
        " const r = e.getBoundingClientRect();"
        " return r.width > 0 && r.right <= window.innerWidth; }})"
    )
    # The list's box scrolls sideways when its table is wider than the page has room for.
    sideways = (
        "(() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth, r.clientWidth]; })()"
    )
    for size, (width, height) in SIZES.items():
        browser.viewport(width, height)
        browser.open(f"{base}/admin/knowledge/knowledgereference/")
        assert _styled(browser)
        assert browser.js("document.querySelectorAll('#result_list .sync-state').length") >= 7
        assert browser.js(within_view.format(selector="#result_list .sync-state"))
        browser.screenshot(screenshots / f"04-knowledge-list-{size}.png")
        scroll_width, client_width = browser.js(sideways)
        assert scroll_width <= client_width, (size, scroll_width, client_width)
        assert SECONDS.search(browser.js("document.querySelector('#result_list').innerText"))

        browser.open(f"{base}/admin/syncer/syncrun/")
        assert browser.js(within_view.format(selector="#result_list td.field-counts"))
        browser.screenshot(screenshots / f"05-sync-runs-{size}.png")
        scroll_width, client_width = browser.js(sideways)
        assert scroll_width <= client_width, (size, scroll_width, client_width)
        # Compact counts: at 1920 one line per source, at 1366 a few more.
        tallest = browser.js(
            "Math.max(...[...document.querySelectorAll('#result_list tbody tr')]"
            ".map(tr => tr.getBoundingClientRect().height))"
        )
        assert tallest < (70 if width >= 1920 else 110), (size, tallest)
        assert SECONDS.search(browser.js("document.querySelector('#result_list').innerText"))


def _run_page(browser: Browser, base: str, screenshots: Path, run: SyncRun) -> None:
    browser.viewport(*SIZES["1366x768"])
    browser.open(f"{base}/admin/syncer/syncrun/{run.pk}/change/")
    assert _styled(browser)
    page = browser.js("document.querySelector('#content-main').innerText")
    # started, finished and each source's watermarks, all to the second
    assert len(SECONDS.findall(page)) >= 5, page
    # tpl_no_text: not an error, but counted as the journeys source's invalid row
    invalid = browser.js(
        "[...document.querySelectorAll('td.field-invalid')].map(td => td.innerText.trim())"
    )
    assert invalid == ["1", "0"], invalid  # journeys, knowledge (by source name)
    browser.screenshot(screenshots / "06-run-page-1366x768.png", full_page=True)


def _invalid_row_page(browser: Browser, base: str, screenshots: Path, record_id: str) -> None:
    browser.viewport(*SIZES["1366x768"])
    browser.open(f"{base}/admin/journeys/journeytemplate/{quote(record_id)}/change/")
    assert browser.js("document.querySelector('.sync-state').dataset.state") == "invalid"
    sentence = browser.js("document.querySelector('.sync-state-sentence').innerText")
    assert sentence.startswith("This row cannot become a document: DocumentError:")
    # The state comes first on the page, above the row's fields: in view without scrolling.
    top = browser.js("document.querySelector('.sync-state').getBoundingClientRect().bottom")
    assert top < 768
    assert "no text to embed" in sentence and "fix it in the source application" in sentence
    browser.screenshot(screenshots / "07-invalid-row-1366x768.png", full_page=True)
