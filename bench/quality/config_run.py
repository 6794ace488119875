"""Evaluate one configuration in this process: ``python -m bench.quality.config_run JOB``.

Run by the benchmark as a child process whose environment carries the configuration's
settings and its own Chroma directory (``bench.quality.runner``). It syncs the scratch
source tables with the real sync service (``sync_run_execute``, a full sync, as
``manage.py sync full`` runs it), checks that exactly the eligible rows reached Chroma, then
runs every query through ``search_documents``, the function the API and the CLI call. It
prints one JSON object: the effective settings, the sync, the checks, and for each query
the ids returned, best first.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any


def config_evaluate(job: dict[str, Any]) -> dict[str, Any]:
    """Sync and search as ``job`` says (see ``runner._job``); Django must be set up.

    Stops at the first stage whose check fails (an unknown setting, a failed sync, the
    wrong rows in Chroma): searching then would measure nothing. ``ranked`` is then empty.
    """
    from django.conf import settings

    result: dict[str, Any] = {
        "settings": {key: _plain(getattr(settings, key, None)) for key in job["reported_settings"]},
        "checks": [],
        "ranked": {},
    }

    def check(name: str, ok: bool, detail: Any = "") -> bool:
        result["checks"].append({"name": name, "ok": bool(ok), "detail": str(detail)})
        return bool(ok)

    unknown = [key for key in job["overrides"] if not hasattr(settings, key)]
    if not check(
        "every overridden setting is one halasync reads",
        not unknown,
        f"not in halasync.settings: {', '.join(unknown)}" if unknown else "",
    ):
        return result
    if not _sync(job, result, check):
        return result
    _search(job, result)
    return result


def _sync(job: dict[str, Any], result: dict[str, Any], check: Any) -> bool:
    """A full sync through the real service; True when exactly the eligible rows are in
    Chroma afterwards."""
    from syncer.chroma_client import StoreError
    from syncer.models import SyncRun
    from syncer.reporting import run_as_dict
    from syncer.services.runs import sync_run_execute
    from syncer.sources import SOURCES
    from syncer.store import store_open

    started = time.perf_counter()
    run = sync_run_execute(mode="full", trigger=SyncRun.Trigger.CLI)
    seconds = time.perf_counter() - started
    documents = sum(len(ids) for ids in job["eligible_ids"].values())
    result["sync"] = {
        "status": str(run.status),
        "seconds": round(seconds, 2),
        "documents": documents,
        # The model is loaded inside the sync: this is not a throughput benchmark
        # (``python -m bench`` is).
        "documents_per_s_including_model_load": round(documents / seconds, 2),
        "counts": run_as_dict(run)["counts"],
    }
    if not check(
        "full sync succeeded", run.status == SyncRun.Status.SUCCEEDED, run.error or run.status
    ):
        return False
    ok = True
    for name, source in SOURCES.items():
        try:
            store = store_open(source.collection_name, create=False)
            stored = {row_id for page in store.iter_ids() for row_id in page}
        except StoreError as exc:
            ok = check(f"{name}: exactly the eligible rows are in Chroma", False, exc) and ok
            continue
        wanted = set(job["eligible_ids"][name])
        ok = (
            check(
                f"{name}: exactly the eligible rows are in Chroma",
                stored == wanted,
                f"missing {sorted(wanted - stored)[:5]}, unexpected {sorted(stored - wanted)[:5]}",
            )
            and ok
        )
    return ok


def _search(job: dict[str, Any], result: dict[str, Any]) -> None:
    """Every query through ``search_documents``, as the API's search endpoints call it."""
    from syncer.services.search import SearchFilters, search_documents
    from syncer.sources import SOURCES

    filters = {"knowledge": SearchFilters(), "journeys": SearchFilters(active_only=True)}
    seconds: list[float] = []
    for query in job["queries"]:
        began = time.perf_counter()
        hits = search_documents(
            query=query["text"],
            sources=[SOURCES[query["source"]]],
            filters=filters[query["source"]],
            limit=job["limit"],
        )
        seconds.append(time.perf_counter() - began)
        result["ranked"][query["id"]] = [hit["id"] for hit in hits]
    ordered = sorted(seconds)
    result["search"] = {
        "queries": len(ordered),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 1) if ordered else None,
    }


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m bench.quality.config_run JOB.json", file=sys.stderr)
        return 2
    job = json.loads(Path(argv[0]).read_text())
    import django

    django.setup()
    # The sync logs every run at INFO; the benchmark's stderr stays readable.
    logging.getLogger("syncer").setLevel(logging.WARNING)
    result = config_evaluate(job)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if all(check["ok"] for check in result["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
