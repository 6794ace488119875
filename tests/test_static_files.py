"""The admin's and /api/docs/' static files are served by the web process itself
(WhiteNoise) after `collectstatic`, with DJANGO_DEBUG=false, under both documented ways
of running it: `runserver` and gunicorn (README, "A 60-second tour")."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.processes import free_port, halasync_env, running, wait_until


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] > 0
    except OSError:
        return False


@pytest.mark.parametrize("server", ["runserver", "gunicorn"])
def test_static_files_are_served_without_debug(
    server: str, static_root: Path, tmp_path: Path, transactional_db: Any
) -> None:
    port = free_port()
    env = halasync_env(
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_DEBUG="false",
        SYNC_LOG_FILE=str(tmp_path / "sync.log"),
        CHROMA_PATH=str(tmp_path / "chroma"),
    )
    if server == "runserver":
        args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    else:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        args = [gunicorn, "halasync.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    log = tmp_path / f"{server}.log"
    base = f"http://127.0.0.1:{port}"
    with running(args, env=env, log=log) as process:
        wait_until(
            lambda: _answers(f"{base}/api/v1/sync/health"),
            timeout=60,
            what=server,
            process=process,
            log=log,
        )
        status, headers, body = _get(f"{base}/static/admin/css/base.css")
        assert status == 200, log.read_text()
        assert headers["Content-Type"].startswith("text/css")
        assert body == (static_root / "admin" / "css" / "base.css").read_bytes()

        # /api/docs/ loads Swagger UI from the project's own static files, all served.
        status, _, page = _get(f"{base}/api/docs/")
        assert status == 200
        assets = [
            line.split('"')[1]
            for line in page.decode().split()
            if line.startswith(('src="/static/', 'href="/static/'))
        ]
        assert any(asset.endswith("swagger-ui.css") for asset in assets)
        for asset in assets:
            assert _get(f"{base}{asset}")[0] == 200, asset

        # Compressed when the browser accepts it.
        status, headers, _ = _get(
            f"{base}/static/admin/css/base.css", **{"Accept-Encoding": "gzip"}
        )
        assert (status, headers.get("Content-Encoding")) == (200, "gzip")
