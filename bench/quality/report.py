"""The quality report as a table (``python -m bench.quality`` without ``--json``)."""

from __future__ import annotations

from typing import Any

from bench.quality.evalset import LANGUAGES, SOURCES
from bench.quality.metrics import TARGETS


def _number(value: Any) -> str:
    return "-" if value is None else f"{value:.2f}"


def render(report: dict[str, Any]) -> str:
    dataset = report["dataset"]
    lines = [
        f"halasync search quality: set {dataset['name']} ({dataset['topics']} topics, "
        f"{dataset['knowledge_rows']} knowledge rows, {dataset['journey_rows']} journey rows, "
        f"{dataset['paraphrase_queries']} paraphrase + {dataset['exact_queries']} exact queries)",
        f"machine: {report['machine']['cpus']} cpus, load {report['machine']['loadavg_start']}"
        f" -> {report['machine'].get('loadavg_end')}; {report.get('total_seconds')} s",
        "",
        f"overlap check ({report['overlap']['rule']}): {len(report['overlap']['flagged'])} flagged",
    ]
    for finding in report["overlap"]["flagged"]:
        lines.append(
            f"  FLAGGED {finding['query']}: {finding['text']!r} shares {finding['shared']}"
        )
    for name, config in report["configs"].items():
        lines += ["", *_config_lines(name, config)]
    lines += ["", *_target_lines(report["configs"])]
    failed = [check for check in report["checks"] if not check["ok"]]
    lines += ["", f"checks: {len(report['checks']) - len(failed)} passed, {len(failed)} failed"]
    lines += [f"  FAILED {check['name']}: {check['detail']}" for check in failed]
    return "\n".join(lines)


def _config_lines(name: str, config: dict[str, Any]) -> list[str]:
    overrides = ", ".join(f"{k}={v}" for k, v in config["overrides"].items()) or "no overrides"
    if config.get("failed"):
        return [f"config {name} ({overrides}): not evaluated, a check failed (below)"]
    settings = ", ".join(f"{k}={v}" for k, v in config["settings"].items())
    sync, search = config["sync"], config["search"]
    lines = [
        f"config {name} ({overrides}; effective: {settings})",
        f"  synced {sync['documents']} documents in {sync['seconds']} s (model load included);"
        f" search p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms",
        f"  {'source':<10} {'lang':<5} {'n':>4} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR@10':>7}",
    ]
    paraphrase = config["metrics"]["paraphrase"]
    for source in SOURCES:
        for language in (*LANGUAGES, "all"):
            row = paraphrase[source][language]
            lines.append(
                f"  {source:<10} {language:<5} {row['n']:>4} {_number(row['hit@1']):>6} "
                f"{_number(row['hit@3']):>6} {_number(row['hit@5']):>6} {_number(row['mrr']):>7}"
            )
    exact = config["metrics"]["exact"]
    parts = [
        f"{source} {_number(exact[source]['hit@1'])} (n={exact[source]['n']})" for source in SOURCES
    ]
    lines.append(
        f"  exact references first (hit@1): {_number(exact['all']['hit@1'])} "
        f"(n={exact['all']['n']}; {', '.join(parts)})"
    )
    missed = [q for q in config["queries"] if q["id"].startswith("exact/") and q["rank"] != 1]
    for query in missed:
        lines.append(
            f"    not first: {query['text']!r} (rank {query['rank']}, top {query['top'][:3]})"
        )
    return lines


def _target_lines(configs: dict[str, Any]) -> list[str]:
    names = [name for name, config in configs.items() if not config.get("failed")]
    header = f"{'targets (issue 15)':<34} {'goal':<8}" + "".join(f" {name:>16}" for name in names)
    lines = [header]
    for number, target in enumerate(TARGETS):
        cells = []
        for name in names:
            found = configs[name]["targets"][number]
            verdict = {True: "met", False: "MISSED", None: "n/a"}[found["met"]]
            cells.append(f" {_number(found['measured']) + ' ' + verdict:>16}")
        lines.append(f"{target.name:<34} {'>= ' + str(target.goal):<8}" + "".join(cells))
    return lines
