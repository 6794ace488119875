"""``python -m bench.quality [--config NAME ...] [--dataset PATH] [--json]``: search quality.

Exit status 0 when every check passed (targets may still be missed: they are reported, not
enforced), 1 when a check failed (a query copying its target, a sync that did not put
exactly the eligible rows in Chroma, a configuration that did not run), 2 on bad arguments
or a malformed evaluation set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.quality.configs import CONFIGS


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.quality",
        description="Measure search quality in English, Indonesian and Arabic on a hand-written "
        "evaluation set, through halasync's real sync and search services.",
    )
    parser.add_argument(
        "--config",
        action="append",
        choices=list(CONFIGS),
        help="a named configuration (bench/quality/configs.py); repeat to compare "
        "(default: default)",
    )
    parser.add_argument(
        "--dataset", type=Path, help="another evaluation set in the same format (a held-out set)"
    )
    parser.add_argument("--limit-topics", type=int, help="only the first N topics (a quick run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL server to create the scratch database on (default: DATABASE_URL)",
    )
    parser.add_argument("--output", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and files")
    args = parser.parse_args(argv)
    args.config = list(dict.fromkeys(args.config or ["default"]))
    if args.limit_topics is not None and args.limit_topics < 1:
        parser.error("--limit-topics must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    from bench.quality.evalset import EvalSetError, evalset_load
    from bench.quality.report import render
    from bench.quality.runner import quality_run

    try:
        evalset = evalset_load(args.dataset, limit_topics=args.limit_topics)
    except EvalSetError as exc:
        print(f"python -m bench.quality: error: {exc}", file=sys.stderr)
        return 2
    report = quality_run(
        evalset=evalset,
        config_names=args.config,
        server_url=args.database_url,
        keep=args.keep,
    )
    text = json.dumps(report, ensure_ascii=False, indent=None if args.json else 2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")
    print(text if args.json else render(report))
    return 0 if all(check["ok"] for check in report["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
