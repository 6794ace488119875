"""Which metadata breaks a Chroma 1.5 collection for good, embedded and on `chroma run`.

    python -m bench.experiments.chroma_metadata_limits [--server] [--skip-sizes]

Each probe writes one hostile record into a fresh collection (its own directory, or its
own server), then checks that the collection is still healthy: another add, a get and a
query, and again after reopening (a new embedded client, or a restarted server). A write
that breaks the collection fails with "Error in compaction: Failed to apply logs to the
metadata segment"; the record stays in Chroma's log, so every later write fails too, and
after a reopen every read ("Error sending backfill request to compactor").

Measured with chromadb 1.5.9, embedded and server alike: Chroma's SQLite metadata segment
writes each record in single statements with 6 bound parameters per value, and SQLite
allows 32,766 parameters per statement, so a record breaks the collection when

* its list values hold more than 5,461 items in all (every list key together), or
* it has more than 5,461 non-list values, the document text counting as one.

Item length does not break anything, it only costs time (one 100 MB list item: 7.6 s).
A batch of records at the limit is fine: the limit is per record.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.client import SharedSystemClient
from chromadb.config import Settings

SETTINGS = Settings(anonymized_telemetry=False)
CHROMA = Path(sys.executable).parent / "chroma"

Metadata = dict[str, Any]


def _list(count: int) -> list[str]:
    return [f"t{number}" for number in range(count)]


def _unique_items(count: int, length: int) -> list[str]:
    return [f"{number}-".ljust(length, "x") for number in range(count)]


@dataclass
class Outcome:
    written: bool
    healthy: bool
    seconds: float
    detail: str


class Embedded:
    """A fresh directory per probe; reopening is a new client after clearing the cache."""

    name = "embedded"

    @contextmanager
    def client(self) -> Iterator[tuple[Callable[[], Any], Callable[[], None]]]:
        path = tempfile.mkdtemp(prefix="chroma-limits-")
        state = {"client": chromadb.PersistentClient(path=path, settings=SETTINGS)}

        def reopen() -> None:
            SharedSystemClient.clear_system_cache()
            state["client"] = chromadb.PersistentClient(path=path, settings=SETTINGS)

        yield (lambda: state["client"]), reopen
        SharedSystemClient.clear_system_cache()


class Server:
    """A fresh `chroma run` per probe; reopening restarts the server on its directory."""

    name = "server"

    @contextmanager
    def client(self) -> Iterator[tuple[Callable[[], Any], Callable[[], None]]]:
        path = tempfile.mkdtemp(prefix="chroma-limits-server-")
        port = _free_port()
        state: dict[str, Any] = {"process": _server_start(path, port)}
        state["client"] = _http_client(port)

        def reopen() -> None:
            _server_stop(state["process"])
            state["process"] = _server_start(path, port)
            state["client"] = _http_client(port)

        try:
            yield (lambda: state["client"]), reopen
        finally:
            _server_stop(state["process"])


def _http_client(port: int) -> Any:
    # HttpClient writes the port into the Settings it is given: one Settings per server.
    SharedSystemClient.clear_system_cache()
    return chromadb.HttpClient(
        host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False)
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_start(path: str, port: int) -> subprocess.Popen:
    args = [str(CHROMA), "run", "--path", path, "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    _server_stop(process)
    raise RuntimeError("chroma run did not start")


def _server_stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def probe(backend: Embedded | Server, metadatas: list[Metadata]) -> Outcome:
    """Write ``metadatas`` (one record each, with a document), then check the collection."""
    with backend.client() as (client, reopen):
        collection = client().create_collection("probe", embedding_function=None)
        collection.add(ids=["before"], embeddings=[[1.0, 0.0]], metadatas=[{"k": "v"}])
        started = time.perf_counter()
        try:
            collection.add(
                ids=[f"hostile{number}" for number in range(len(metadatas))],
                embeddings=[[0.0, 1.0]] * len(metadatas),
                documents=["hostile"] * len(metadatas),
                metadatas=metadatas,
            )
            written, detail = True, "written"
        except Exception as exc:
            written, detail = False, f"{type(exc).__name__}: {str(exc)[:70]}"
        seconds = time.perf_counter() - started
        try:
            _exercise(client().get_collection("probe"))
            reopen()
            _exercise(client().get_collection("probe"), add=False)
            healthy = True
        except Exception as exc:
            healthy = False
            detail += f" | then {type(exc).__name__}: {str(exc)[:60]}"
        return Outcome(written=written, healthy=healthy, seconds=seconds, detail=detail)


def _exercise(collection: Any, *, add: bool = True) -> None:
    if add:
        collection.add(ids=["after"], embeddings=[[0.6, 0.8]], metadatas=[{"k": "w"}])
    collection.get(ids=["before", "after"], include=["metadatas"])
    collection.query(query_embeddings=[[1.0, 0.0]], n_results=2)
    collection.count()


def largest_healthy(backend: Embedded | Server, shape: Callable[[int], Metadata]) -> int:
    """The largest n for which a record ``shape(n)`` leaves the collection healthy."""
    low, high = 1, 2
    while probe(backend, [shape(high)]).healthy:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if probe(backend, [shape(middle)]).healthy:
            low = middle
        else:
            high = middle
    return low


SHAPES: dict[str, Callable[[int], Metadata]] = {
    "one list key, n items": lambda n: {"tags": _list(n)},
    "two list keys, n items each": lambda n: {"tags": _list(n), "languages": _list(n)},
    "n string keys (and the document)": lambda n: {f"key{k}": "v" for k in range(n)},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", action="store_true", help="also probe a `chroma run` server")
    parser.add_argument("--skip-sizes", action="store_true", help="skip the item-length probes")
    args = parser.parse_args()
    backends: list[Embedded | Server] = [Embedded()] + ([Server()] if args.server else [])
    print(f"chromadb {chromadb.__version__}")
    for backend in backends:
        print(f"\n== {backend.name}")
        for label, shape in SHAPES.items():
            limit = largest_healthy(backend, shape)
            above = probe(backend, [shape(limit + 1)])
            print(f"{label}: healthy up to n = {limit}; n = {limit + 1}: {above.detail}")
        at_limit = {"tags": _list(5461)}
        batch = probe(backend, [at_limit] * 4)
        print(f"4 records of 5,461 list items in one add: healthy={batch.healthy}")
        mixed = probe(backend, [{**{f"key{k}": "v" for k in range(5000)}, "tags": _list(5000)}])
        print(f"5,000 string keys + 5,000 list items: healthy={mixed.healthy}")
        if args.skip_sizes:
            continue
        for label, metadata in (
            ("1 list item of 10 MB", {"tags": ["x" * 10_000_000]}),
            ("1 list item of 100 MB", {"tags": ["x" * 100_000_000]}),
            ("2,000 list items of 50,000 characters", {"tags": _unique_items(2000, 50_000)}),
            ("1,000 list items of 100 characters", {"tags": _unique_items(1000, 100)}),
        ):
            outcome = probe(backend, [metadata])
            print(f"{label}: healthy={outcome.healthy}, write {outcome.seconds:.2f} s")


if __name__ == "__main__":
    main()
