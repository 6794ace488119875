"""``manage.py sync <subcommand>``: the operator's and cron's entry point.

Thin: parse, call one service, render. ``--json`` prints exactly one JSON object on
stdout; logs go to stderr and SYNC_LOG_FILE. Exit codes: 0 success; 1 the run failed,
ended with record errors, or the record does not exist; 2 usage error; 3 another sync
holds the lock.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from syncer.chroma_client import StoreError
from syncer.embeddings import EmbeddingUnavailable
from syncer.locks import SyncLocked
from syncer.models import SyncRun
from syncer.progress import ProgressBar
from syncer.reporting import age_text, run_as_dict, time_text
from syncer.retry import RetriesExhausted
from syncer.services.notify import notify_install, notify_sql
from syncer.services.records import RecordNotFound, sync_record
from syncer.services.runs import sync_run_execute
from syncer.services.schedules import ScheduleConfigError, schedules_ensure
from syncer.services.search import MAX_LIMIT, SearchFilters, search_documents
from syncer.services.stats import RunSummary, SyncStats, sync_stats
from syncer.services.verify import sync_verify
from syncer.services.watch import sync_watch
from syncer.sources import JOURNEYS, KNOWLEDGE, SOURCE_ALIASES, SOURCES, Source, source_get

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3

COUNT_LABELS = (
    "scanned",
    "upserted",
    "metadata_updated",
    "unchanged",
    "deleted",
    "errors",
    "invalid",
)
# Every spelling of a source, wherever a command takes one (--source or --type).
SOURCE_CHOICES = [*SOURCES, *SOURCE_ALIASES]


def _labels(sources: Iterable[Source]) -> str:
    """Each source's label in the plural, joined with "and"."""
    return " and ".join(f"{source.label}s" for source in sources)


class StoreOnce(argparse.Action):
    """Store the value; the option given a second time is a usage error. argparse keeps
    the last: `sync full --source knowledge --source journeys` synced the journeys only,
    silently (the API answers 400 to a repeated parameter)."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        if getattr(namespace, self.dest, None) is not None:
            parser.error(f"{'/'.join(self.option_strings)} given twice: give one source")
        setattr(namespace, self.dest, values)


def add_source_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--source",
        "--type",
        dest="source",
        action=StoreOnce,
        choices=SOURCE_CHOICES,
        help=f"{help_text} ({' or '.join(SOURCES)}; 'journey' means journeys)",
    )


@contextmanager
def progress_owns_stderr(progress: ProgressBar | None) -> Iterator[None]:
    """While the progress bar is drawn, informational logs go to SYNC_LOG_FILE only, so
    that they do not break the bar's line; a warning still reaches stderr, on a line of
    its own, below the bar's last frame; the bar is drawn again below the warning."""
    handlers = [
        handler
        for handler in logging.getLogger("syncer").handlers
        if progress is not None and type(handler) is logging.StreamHandler
    ]
    levels = [handler.level for handler in handlers]

    def break_bar_line(record: logging.LogRecord) -> bool:
        progress.break_line()
        return True

    for handler in handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
        handler.addFilter(break_bar_line)
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)
            handler.removeFilter(break_bar_line)


class Command(BaseCommand):
    help = "Keep the Chroma collections in step with the PostgreSQL source tables."
    # System checks import the URLconf, the API schema and the admin checks: a large share
    # of a cron `sync incremental` that has nothing to do (docs/performance.md; `manage.py
    # check` runs them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", metavar="subcommand", required=True)

        def add(name: str, help_text: str) -> argparse.ArgumentParser:
            sub = subcommands.add_parser(name, help=help_text, description=help_text)
            sub.add_argument("--json", action="store_true", help="print one JSON object on stdout")
            # Accept -v after the subcommand too, without overriding one given before it.
            sub.add_argument(
                "-v",
                "--verbosity",
                type=int,
                choices=[0, 1, 2, 3],
                default=argparse.SUPPRESS,
                help="0 silent, 1 summary (default), 2 per batch",
            )
            return sub

        full = add("full", "Reconcile everything: upsert what changed, delete what should go.")
        full.add_argument("--force", action="store_true", help="re-embed every document")
        full.add_argument(
            "--rebuild",
            action="store_true",
            help="build fresh collections and swap them in (after changing the model)",
        )
        add_source_option(full, "only this source")
        incremental = add(
            "incremental", "Sync rows changed since the last run, then sweep deletions."
        )
        add_source_option(incremental, "only this source")
        add("ref", "Sync one knowledge reference.").add_argument("id")
        add("template", "Sync one journey template.").add_argument("id")
        add("stats", "Collection counts, eligible rows, pending changes, last runs.")
        verify = add(
            "verify",
            "Compare PostgreSQL with what Chroma holds: missing, stale and orphaned documents, "
            "collections of another model, collections left by an unfinished --rebuild. "
            "Exit 0 when clean, 1 when drift is found.",
        )
        verify.add_argument(
            "--repair", action="store_true", help="fix exactly the drift found (recorded as a run)"
        )
        add_source_option(verify, "only this source")
        add(
            "schedule",
            "Create or update the default django-q schedules (SYNC_INCREMENTAL_CRON, "
            "SYNC_FULL_CRON); other schedules are left alone.",
        )
        watch = add(
            "watch",
            "Run incremental syncs every few seconds until SIGINT/SIGTERM; cycles that find "
            "nothing to do record no run. --json prints one JSON line per recorded run.",
        )
        watch.add_argument(
            "--interval", type=float, default=2.0, help="seconds between cycles (default 2)"
        )
        watch.add_argument(
            "--sweep-every",
            type=float,
            default=60.0,
            help="seconds between deletion sweeps (default 60)",
        )
        notify = add(
            "install-notify",
            "Print the SQL of the optional pg_notify triggers on the source tables (push mode "
            "for `sync watch`); --apply runs it. The tables belong to another application: "
            "only with its owners' agreement.",
        )
        notify.add_argument("--apply", action="store_true", help="run the SQL on the source DB")
        search = add("search", "Semantic search over the synced collections.")
        search.add_argument("query")
        add_source_option(search, "only this collection")
        search.add_argument("--category", help="knowledge category, e.g. VERSE (knowledge only)")
        search.add_argument("--status", help="e.g. VERIFIED or PUBLISHED")
        search.add_argument("--tag")
        search.add_argument("--language", help="e.g. en")
        search.add_argument("--limit", type=int, default=5, help=f"1 to {MAX_LIMIT} (default 5)")
        search.add_argument(
            "--include-inactive",
            action="store_true",
            help="include inactive journey templates (journeys only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.as_json = options["json"]
        self.verbosity = options["verbosity"]
        logging.getLogger("syncer").setLevel(
            {0: logging.WARNING, 1: logging.INFO}.get(self.verbosity, logging.DEBUG)
        )
        handler = getattr(self, f"handle_{options['subcommand'].replace('-', '_')}")
        try:
            handler(options)
        except SyncLocked as exc:
            self.emit_error(str(exc), EXIT_LOCKED, holder_run_id=exc.holder_run_id)
        except (StoreError, RetriesExhausted, EmbeddingUnavailable) as exc:
            self.emit_error(str(exc), EXIT_FAILED)
        except (OperationalError, InterfaceError) as exc:
            # PostgreSQL unreachable (before a run could start or record anything).
            reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            self.emit_error(f"PostgreSQL cannot be used: {reason}", EXIT_FAILED)

    # --- subcommands ------------------------------------------------------------------

    def handle_full(self, options: dict[str, Any]) -> None:
        self.run_sync(
            SyncRun.Mode.FULL, options, force=options["force"], rebuild=options["rebuild"]
        )

    def handle_incremental(self, options: dict[str, Any]) -> None:
        self.run_sync(SyncRun.Mode.INCREMENTAL, options)

    def handle_ref(self, options: dict[str, Any]) -> None:
        self.sync_one(KNOWLEDGE.name, options["id"])

    def handle_template(self, options: dict[str, Any]) -> None:
        self.sync_one(JOURNEYS.name, options["id"])

    def handle_stats(self, options: dict[str, Any]) -> None:
        # Printed whatever the verbosity: the statistics are what was asked for.
        stats = sync_stats()
        # Chroma unreachable: the PostgreSQL side is still shown, and the exit code is 1.
        unreachable = stats.chroma_unreachable_error
        if self.as_json:
            data = stats.as_dict()
            self.emit({**data, "error": unreachable} if unreachable else data)
        else:
            self.write_stats(stats)
        if unreachable:
            raise CommandError(unreachable, returncode=EXIT_FAILED)

    def write_stats(self, stats: SyncStats) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"Chroma: {stats.chroma}"))
        for name, source in stats.sources.items():
            chroma = source.chroma_count if source.chroma_count is not None else "-"
            self.stdout.write(
                f"  {name:<10} collection {source.collection}: {chroma} documents in Chroma, "
                f"{source.eligible_count} eligible rows, {source.pending_changes} pending changes"
            )
            if source.chroma_error:
                self.stdout.write(self.style.WARNING(f"             {source.chroma_error}"))
            self.stdout.write(f"             watermark: {time_text(source.watermark)}")
            self.stdout.write(
                "             last successful run: " + self.run_age(source.last_successful_run)
            )
            self.stdout.write(
                "             last full reconcile: " + self.run_age(source.last_full_reconcile)
            )
            if source.future_rows:
                self.stdout.write(
                    self.style.WARNING(
                        f'             {source.future_rows} row(s) with "updatedAt" in the '
                        "future (after the source database's clock): synced by every run"
                    )
                )
            invalid = source.invalid_rows
            if invalid.count:
                self.stdout.write(
                    self.style.WARNING(
                        f"             {invalid.count} invalid row(s), kept out of Chroma "
                        "until they change (fix them at their source):"
                    )
                )
                for row in invalid.rows:
                    self.stdout.write(self.style.WARNING(f"               {row.id!r}: {row.error}"))
                if invalid.count > len(invalid.rows):
                    self.stdout.write(
                        f"               … and {invalid.count - len(invalid.rows)} more"
                    )
        if stats.queued_runs:
            self.stdout.write(
                self.style.WARNING(
                    f"  {stats.queued_runs} queued run(s), oldest waiting "
                    f"{age_text(stats.oldest_queued_age_seconds)}: "
                    "is a worker (qcluster) running?"
                )
            )
        self.stdout.write(self.style.MIGRATE_HEADING("Last runs:"))
        for run in stats.last_runs:
            self.stdout.write("  " + self.run_line(run))
            self.write_record_errors(run, indent="    ")

    def handle_schedule(self, options: dict[str, Any]) -> None:
        try:
            outcomes = schedules_ensure()
        except ScheduleConfigError as exc:
            return self.emit_error(str(exc), EXIT_USAGE)
        if self.as_json:
            return self.emit({"schedules": [outcome.as_dict() for outcome in outcomes]})
        if self.verbosity == 0:
            return
        for outcome in outcomes:
            next_run = outcome.next_run.isoformat() if outcome.next_run else "never"
            self.stdout.write(
                f"{outcome.action:<9} {outcome.name!r}: {outcome.cron} (next run {next_run})"
            )
        self.stdout.write("Schedules run only while a worker runs: python manage.py qcluster")

    def handle_verify(self, options: dict[str, Any]) -> None:
        sources = [options["source"]] if options.get("source") else None
        report = sync_verify(sources=sources, repair=options["repair"], trigger=SyncRun.Trigger.CLI)
        run = run_as_dict(report.repair_run) if report.repair_run is not None else None
        if self.as_json:
            self.emit(
                {
                    "clean": report.clean,
                    "sources": {drift.source: drift.as_dict() for drift in report.sources},
                    "repair_run": run,
                }
            )
        elif self.verbosity >= 1:
            for drift in report.sources:
                self.write_drift(drift.as_dict(), drift.source)
            if run is not None:
                self.stdout.write(self.run_line(run))
        # Invalid rows are drift (Chroma lacks rows PostgreSQL calls eligible) that only
        # their source can fix: "run --repair" alone sent operators to a repair that
        # could not fix them, and then said "some records could not be written".
        invalid = (
            f"{report.invalid} invalid row(s) cannot become documents (each listed with "
            "why): fix them at their source, which no repair can; syncs keep them out "
            "of Chroma until they change"
            if report.invalid
            else ""
        )
        if run is not None:
            if not report.repaired:
                errors = sum(counts.get("errors", 0) for counts in run["counts"].values())
                if not run["error"] and invalid and errors <= report.invalid:
                    reason = f"everything else was repaired; {invalid}"
                else:
                    reason = run["error"] or (
                        "some records could not be written (see record_errors)"
                        + (f"; {invalid}" if invalid else "")
                    )
                raise CommandError(
                    f"repair run #{run['id']} {run['status']}: {reason}", returncode=EXIT_FAILED
                )
        elif report.repairable:
            raise CommandError(
                "drift found: run `manage.py sync verify --repair` to fix it"
                + (f"; {invalid}" if invalid else ""),
                returncode=EXIT_FAILED,
            )
        elif not report.clean:
            raise CommandError(invalid, returncode=EXIT_FAILED)

    def write_drift(self, drift: dict[str, Any], source: str) -> None:
        counts = drift["counts"]
        summary = (
            f"{source} (collection {drift['collection']}): {drift['eligible']} eligible rows, "
            f"{drift['in_sync']} in sync, {counts['missing']} missing, {counts['stale']} stale, "
            f"{counts['orphans']} orphaned, {counts['invalid']} invalid, "
            f"{counts['leftovers']} leftover collection(s)"
        )
        self.stdout.write(self.style.SUCCESS(summary) if drift["clean"] else summary)
        if drift["problem"]:
            self.stdout.write(self.style.WARNING(f"  {drift['problem']}"))
        lines = [
            *(f"missing  {record_id}" for record_id in drift["missing"]),
            *(f"stale    {item['id']} ({item['differs']})" for item in drift["stale"]),
            *(f"orphaned {record_id}" for record_id in drift["orphans"]),
            *(f"invalid  {item['id']}: {item['error']}" for item in drift["invalid"]),
            *(
                f"leftover collection {name}{_leftover_kind(name, drift)}"
                for name in drift["leftovers"]
            ),
        ]
        shown = 20 if self.verbosity < 2 else len(lines)
        for line in lines[:shown]:
            self.stdout.write(self.style.WARNING(f"  {line}"))
        if len(lines) > shown:
            self.stdout.write(f"  … and {len(lines) - shown} more (-v 2 or --json lists them)")

    def handle_search(self, options: dict[str, Any]) -> None:
        # Usage errors print {"error": …} with --json, as every other subcommand's errors.
        if not 1 <= options["limit"] <= MAX_LIMIT:
            return self.emit_error(f"--limit must be between 1 and {MAX_LIMIT}", EXIT_USAGE)
        for name in ("category", "status", "tag", "language"):
            value = options[name]
            # As the API's 400s: `--tag "$TAG"` with TAG unset must not search everything.
            if value is not None and (not value.strip() or "\x00" in value):
                return self.emit_error(
                    f"--{name} must not be empty or contain NUL characters", EXIT_USAGE
                )
        only = source_get(options["source"]) if options["source"] else None
        categorized = [source for source in SOURCES.values() if "category" in source.filter_fields]
        with_inactive = [source for source in SOURCES.values() if source.active_field]
        if options["category"] and only is not None and only not in categorized:
            return self.emit_error(
                f"--category filters {_labels(categorized)} only; it cannot apply to --source "
                f"{only.name}",
                EXIT_USAGE,
            )
        if options["include_inactive"] and only is not None and only not in with_inactive:
            return self.emit_error(
                f"--include-inactive concerns {_labels(with_inactive)} only; it cannot apply to "
                f"--source {only.name}",
                EXIT_USAGE,
            )
        if only is not None:
            sources = [only]
        elif options["category"]:
            sources = categorized  # the only ones with a category
        else:
            sources = list(SOURCES.values())
        filters = SearchFilters(
            category=options["category"],
            status=options["status"],
            tag=options["tag"],
            language=options["language"],
            active_only=not options["include_inactive"],
        )
        try:
            hits = search_documents(
                query=options["query"], sources=sources, filters=filters, limit=options["limit"]
            )
        except ValueError as exc:
            return self.emit_error(str(exc), EXIT_USAGE)
        if self.as_json:
            return self.emit({"query": options["query"], "results": hits})
        if not hits:
            self.stdout.write("No results.")
        for rank, hit in enumerate(hits, start=1):
            metadata = hit["metadata"]
            title = metadata.get("title") or metadata.get("goal_keyword") or ""
            # Rows the query names (a reference, a goal keyword) come first, whatever
            # their distance: say so.
            named = "  (exact match)" if hit.get("match") == "exact" else ""
            self.stdout.write(
                f"{rank:>2}. {hit['distance']:.4f}  {hit['type']:<9} {hit['id']}  "
                + self.style.SUCCESS(title)
                + named
            )
            snippet = " ".join((hit["document"] or "").split())[:160]
            self.stdout.write(f"    {snippet}")

    def handle_watch(self, options: dict[str, Any]) -> None:
        def report(run: SyncRun) -> None:
            data = run_as_dict(run)
            if self.as_json:
                self.emit(data)
                self.stdout.flush()
            elif self.verbosity >= 1:
                counts = "; ".join(
                    f"{source} "
                    + ", ".join(f"{label} {n[label]}" for label in COUNT_LABELS[1:] if n[label])
                    for source, n in data["counts"].items()
                )
                self.stdout.write(f"{self.run_line(data)}  {counts}")
                self.stdout.flush()

        try:
            summary = sync_watch(
                interval=options["interval"], sweep_every=options["sweep_every"], on_run=report
            )
        except ValueError as exc:
            return self.emit_error(str(exc), EXIT_USAGE)
        if not self.as_json and self.verbosity >= 1:
            totals = ", ".join(f"{key} {value}" for key, value in summary.as_dict().items())
            self.stdout.write(f"watch stopped: {totals}")

    def handle_install_notify(self, options: dict[str, Any]) -> None:
        sql = notify_sql()
        if options["apply"]:
            notify_install()
        if self.as_json:
            return self.emit({"sql": sql, "applied": options["apply"]})
        self.stdout.write(sql)
        if options["apply"] and self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("-- applied to the source database"))

    # --- helpers ----------------------------------------------------------------------

    def run_sync(self, mode: str, options: dict[str, Any], **flags: bool) -> None:
        progress = None
        if mode == SyncRun.Mode.FULL and self.verbosity >= 1 and self.stderr.isatty():
            progress = ProgressBar(self.stderr._out)
        sources = [options["source"]] if options.get("source") else None
        with progress_owns_stderr(progress):
            run = sync_run_execute(
                mode=mode, trigger=SyncRun.Trigger.CLI, sources=sources, progress=progress, **flags
            )
        if progress:
            progress.finish()
        data = run_as_dict(run)
        if self.as_json:
            self.emit(data)
        elif self.verbosity >= 1:
            self.stdout.write(self.run_line(data))
            for source, counts in data["counts"].items():
                numbers = ", ".join(
                    f"{label.replace('_', ' ')} {counts[label]}" for label in COUNT_LABELS
                )
                self.stdout.write(f"  {source}: {numbers}")
            self.write_record_errors(data, indent="  ", shown=20)
        if run.status == SyncRun.Status.FAILED:
            # One line: a run's error holds a line per source that failed.
            reason = "; ".join(line for line in run.error.splitlines() if line.strip())
            raise CommandError(f"run #{run.pk} failed: {reason}", returncode=EXIT_FAILED)
        if run.status == SyncRun.Status.PARTIAL:
            raise CommandError(
                f"run #{run.pk} skipped records with errors; see `manage.py sync stats` "
                "or the admin's sync runs page",
                returncode=EXIT_FAILED,
            )

    def sync_one(self, source: str, record_id: str) -> None:
        try:
            outcome = sync_record(source=source, record_id=record_id, trigger=SyncRun.Trigger.CLI)
        except RecordNotFound as exc:
            return self.emit_error(str(exc), EXIT_FAILED, id=record_id, action=None, run=None)
        if self.as_json:
            self.emit(outcome.as_dict())
        elif self.verbosity >= 1:
            self.stdout.write(f"{record_id}: {outcome.action} (run #{outcome.run.pk})")
        if outcome.error:
            raise CommandError(
                f"{record_id} was not synced: {outcome.error}", returncode=EXIT_FAILED
            )

    def write_record_errors(
        self, run: dict[str, Any], *, indent: str, shown: int | None = None
    ) -> None:
        """The records ``run`` skipped, with why (its first ``shown``), and how many more."""
        errors = run.get("record_errors", [])[:shown]
        for error in errors:
            self.stdout.write(
                self.style.WARNING(
                    f"{indent}skipped {error['source']} {error['record_id']!r}: "
                    f"{error['error_type']}: {error['message']}"
                )
            )
        more = sum(counts["errors"] for counts in run["counts"].values()) - len(errors)
        if more > 0:
            self.stdout.write(
                f"{indent}… and {more} more: see the run's page in the admin, or "
                f"GET /api/v1/sync/runs/{run['id']}"
            )

    @staticmethod
    def run_age(run: RunSummary | None) -> str:
        """``#12 full, finished <time> (<age> ago)``, or never."""
        if not run:
            return "never"
        return (
            f"#{run.id} {run.mode}, finished {time_text(run.finished_at)} "
            f"({age_text(run.age_seconds)} ago)"
        )

    def run_line(self, run: dict[str, Any]) -> str:
        duration = (
            f" in {run['duration_seconds']:.1f} s" if run["duration_seconds"] is not None else ""
        )
        style = {
            "succeeded": self.style.SUCCESS,
            "partial": self.style.WARNING,
            "failed": self.style.ERROR,
        }.get(run["status"], str)
        what = f"{run['mode']} {run['record_id']}" if run["record_id"] else run["mode"]
        line = f"run #{run['id']} {what} ({run['trigger']}) " + style(run["status"]) + duration
        if run["error"]:
            line += f": {run['error']}"
        return line

    def emit(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))

    def emit_error(self, message: str, returncode: int, **extra: Any) -> None:
        if self.as_json:
            self.emit({"error": message, **extra})
        raise CommandError(message, returncode=returncode)


def _leftover_kind(name: str, drift: dict[str, Any]) -> str:
    if name in drift["rebuilds_complete"]:
        return " (a complete rebuild)"
    if name in drift["rebuilds_unfinished"]:
        return " (an unfinished rebuild: dropped, never put in place)"
    return ""
