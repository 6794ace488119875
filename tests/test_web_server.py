"""The web process as it runs for real: gunicorn with the shipped gunicorn.conf.py, spoken
to over raw sockets. Chunked request bodies, clients that connect and send nothing (or
half a request), where the logs go, and server errors in the log with their traceback.

gunicorn works on this test's committed database (transactional_db) and Chroma
directory; tests/processes.py starts it in its own session and stops it by its PID.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from syncer.models import SyncRun
from syncer.services.runs import sync_run_execute
from tests.processes import (
    free_port,
    gunicorn,
    halasync_env,
    health_answers,
    running,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.processes]


def _server_env(chroma: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return halasync_env(CHROMA_PATH=chroma, SYNC_LOG_FILE=str(tmp_path / "sync.log"), **extra)


def raw_exchange(base: str, request: bytes, *, timeout: float = 60) -> tuple[int, bytes]:
    """Send ``request`` as it is (it must ask for ``Connection: close``); the status code
    and the body of the answer."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = _dechunked(body)
    return int(head.split(b" ", 2)[1]), body


def _dechunked(data: bytes) -> bytes:
    body = b""
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return body
        body, data = body + data[:size], data[size + 2 :]


def chunked_post(path: str, token: str, chunks: list[bytes], *, raw_tail: bytes = b"") -> bytes:
    """A POST whose body is sent with Transfer-Encoding: chunked, in ``chunks``."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    return head + body + (raw_tail or b"0\r\n\r\n")


def test_a_chunked_body_is_read_not_dropped(operator: Any, chroma: str, tmp_path: Path) -> None:
    token = operator.auth_token.key
    with gunicorn(_server_env(chroma, tmp_path), tmp_path / "gunicorn.log") as base:
        # In two chunks, as a client streaming its body sends it.
        status, body = raw_exchange(
            base,
            chunked_post(
                "/api/v1/sync/run", token, [b'{"force_full_sync": true,', b' "wait": true}']
            ),
        )
        assert status == 200, body
        run = json.loads(body)
        assert (run["mode"], run["force"], run["status"]) == ("full", True, "succeeded")

        # Chunks that do not parse: refused as such, and nothing queued or run.
        runs = SyncRun.objects.count()
        status, body = raw_exchange(
            base, chunked_post("/api/v1/sync/run", token, [b"{}"], raw_tail=b"zz\r\n{}\r\n")
        )
        assert status == 400 and "chunked" in json.loads(body)["detail"]
        # Well-formed chunks of malformed JSON: the parser's answer, as with Content-Length.
        status, body = raw_exchange(base, chunked_post("/api/v1/sync/run", token, [b'{"wait": tr']))
        assert status == 400 and "JSON parse error" in json.loads(body)["detail"]
        # Over 16 KiB in small chunks: the same limit as with a Content-Length.
        status, body = raw_exchange(
            base, chunked_post("/api/v1/sync/run", token, [b" " * 1000] * 17)
        )
        assert status == 413 and "16384" in json.loads(body)["detail"]
        assert SyncRun.objects.count() == runs


def test_long_search_queries_reach_the_api_not_gunicorns_414(
    operator: Any, chroma: str, tmp_path: Path
) -> None:
    """gunicorn's default request-line limit (4,094 bytes) answered an HTML 414 before
    halasync saw the request: an Arabic query of 700 letters (6 bytes each, URL-encoded),
    well within the API's 2,000 characters, or any query over ~4,000 characters, which
    the API answers with its own JSON 400."""
    sync_run_execute(mode="full", trigger="cli")  # empty collections: searches answer 200
    url = "/api/v1/search/knowledge-references?q="

    def get(base: str, query: str) -> tuple[int, str, str]:
        request = urllib.request.Request(base + url + quote(query))
        request.add_header("Authorization", f"Token {operator.auth_token.key}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers["Content-Type"], response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read().decode()

    with gunicorn(_server_env(chroma, tmp_path), tmp_path / "gunicorn.log") as base:
        arabic = get(base, "ب" * 1_000)  # 6,000 bytes
        too_long = get(base, "a" * 5_000)

    assert arabic[0] == 200, arabic
    assert json.loads(arabic[2])["results"] == []
    assert too_long[:2] == (400, "application/json"), too_long
    assert "no more than 2000 characters" in json.loads(too_long[2])["detail"]


def test_health_answers_beside_clients_that_send_nothing_or_half_a_request(
    chroma: str, tmp_path: Path
) -> None:
    with gunicorn(_server_env(chroma, tmp_path), tmp_path / "gunicorn.log") as base:
        address = urlsplit(base)
        stalled = []
        try:
            for _ in range(3):  # connect, send nothing
                stalled.append(socket.create_connection((address.hostname, address.port)))
            for _ in range(3):  # half a request: the headers never end
                sock = socket.create_connection((address.hostname, address.port))
                sock.sendall(b"GET /api/v1/sync/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                stalled.append(sock)
            for _ in range(6):
                with urllib.request.urlopen(f"{base}/api/v1/sync/health", timeout=20) as answer:
                    assert answer.status == 200
        finally:
            for sock in stalled:
                sock.close()


def _signed_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """An opener carrying an admin session, signed in through the login form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(f"{base}/admin/login/", timeout=30) as page:
        form = page.read().decode()
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    data = "&".join(f"{key}={value}" for key, value in fields.items()).encode()
    with opener.open(f"{base}/admin/login/?next=/admin/", data=data, timeout=30) as page:
        assert page.url.endswith("/admin/"), "not signed in"
    return opener


@contextmanager
def _runserver(env: dict[str, str], log: Path, *, stdout_log: Path) -> Iterator[str]:
    """`manage.py runserver` (DEBUG off): a server that configures no logging of its own."""
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    with running(args, env=env, log=log, stdout_log=stdout_log) as process:
        wait_until(
            lambda: health_answers(f"http://127.0.0.1:{port}"),
            timeout=60,
            what="runserver",
            process=process,
            log=log,
            interval=0.2,
        )
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("server", [gunicorn, _runserver], ids=["gunicorn", "runserver"])
def test_server_errors_are_logged_on_stderr_with_their_traceback(
    server: Any, admin_user: Any, operator: Any, chroma: str, tmp_path: Path
) -> None:
    # A real fault: KNOWLEDGE_TABLE names a table that does not exist.
    env = _server_env(chroma, tmp_path, KNOWLEDGE_TABLE="no_such_table")
    stderr, stdout = tmp_path / "server.stderr", tmp_path / "server.stdout"
    with server(env, stderr, stdout_log=stdout) as base:
        opener = _signed_in(base, "admin", "password")
        with pytest.raises(urllib.error.HTTPError) as admin_page:
            opener.open(f"{base}/admin/knowledge/knowledgereference/", timeout=30)
        assert admin_page.value.code == 500

        api_call = urllib.request.Request(
            f"{base}/api/v1/sync/knowledge-reference/ref_1",
            method="POST",
            headers={"Authorization": f"Token {operator.auth_token.key}"},
        )
        with pytest.raises(urllib.error.HTTPError) as api_answer:
            urllib.request.urlopen(api_call, timeout=30)
        assert api_answer.value.code == 500
        assert json.loads(api_answer.value.read())["detail"].startswith("Internal error")

    log = stderr.read_text()
    admin_error = log.split("Internal Server Error: /admin/knowledge/knowledgereference/", 1)
    assert len(admin_error) == 2, log[-3000:]
    assert "Traceback (most recent call last)" in admin_error[1]
    assert 'relation "no_such_table" does not exist' in admin_error[1]
    api_error = log.split("API request failed", 1)
    assert len(api_error) == 2 and "Traceback (most recent call last)" in api_error[1]
    if server is gunicorn:
        # gunicorn's access log is on stderr too; stdout stays empty.
        assert '"GET /admin/knowledge/knowledgereference/ HTTP/1.1" 500' in log
        assert stdout.read_text() == ""
