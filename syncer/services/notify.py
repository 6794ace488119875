"""Optional push mode: triggers on the source tables that ``pg_notify`` every change, and
the listener ``sync watch`` uses to sync at once instead of at the next poll.

The source tables belong to another application: the triggers are opt-in (``sync
install-notify`` prints the SQL, ``--apply`` runs it) and ``sync watch`` keeps polling
as a safety net whether or not they are installed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections

from halasync.routers import source_alias
from syncer.sources import SOURCES, Source

logger = logging.getLogger(__name__)

CHANNEL = "halasync_changes"
FUNCTION = "halasync_notify_change"
# PostgreSQL's limit is 8,000 bytes (exclusive); a payload over it is sent without the id.
MAX_PAYLOAD_BYTES = 8000
TRIGGER = "halasync_notify"


@dataclass(frozen=True)
class Change:
    source: Source
    op: str  # INSERT, UPDATE or DELETE
    record_id: str | None  # None: the id was too long for a notification


def notify_sql() -> str:
    """The SQL that installs (idempotently) the notify triggers on both source tables."""
    quote = connections[source_alias()].ops.quote_name
    statements = [
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE payload text;\n"
        "BEGIN\n"
        "  payload := json_build_object('table', TG_TABLE_NAME, 'op', TG_OP,\n"
        "    'id', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text;\n"
        # pg_notify refuses a payload of 8,000 bytes or more, and its error would fail the
        # application's own write: a long id (up to ~2,700 bytes fit the primary key,
        # more when they compress) JSON-escaped to 6 bytes a control character exceeds it.
        f"  IF octet_length(payload) >= {MAX_PAYLOAD_BYTES} THEN\n"
        "    payload := json_build_object('table', TG_TABLE_NAME, 'op', TG_OP, 'id', NULL)::text;\n"
        "  END IF;\n"
        f"  PERFORM pg_notify('{CHANNEL}', payload);\n"
        "  RETURN NULL;\n"
        "END $$;"
    ]
    for source in SOURCES.values():
        table = quote(source.model._meta.db_table)
        statements += [
            f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};",
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}\n"
            f"  FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();",
        ]
    return "\n".join(statements) + "\n"


def notify_install() -> None:
    """Run ``notify_sql()`` on the source database (in one transaction)."""
    connection = connections[source_alias()]
    with connection.cursor() as cursor:
        cursor.execute(f"BEGIN; {notify_sql()} COMMIT;")


class ChangeListener:
    """LISTENs on a connection of its own to the source database; reconnects lazily
    after a failure (the caller keeps polling meanwhile)."""

    def __init__(self) -> None:
        self.connection: Any = None

    def _listening(self) -> Any:
        if self.connection is None:
            connection = connections.create_connection(source_alias())
            connection.ensure_connection()
            connection.connection.autocommit = True
            connection.connection.execute(f"LISTEN {CHANNEL}")
            self.connection = connection
        return self.connection.connection

    def wait(self, timeout: float) -> list[Change]:
        """Changes notified within ``timeout`` seconds (returns at the first one)."""
        try:
            raw = list(self._listening().notifies(timeout=timeout, stop_after=1))
            # Drain what arrived together (a transaction touching several rows).
            raw += list(self._listening().notifies(timeout=0.05))
        except Exception as exc:
            logger.debug("LISTEN unavailable: %s", exc)
            self.close()
            raise
        return list(_changes(notify.payload for notify in raw))

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # already broken
                logger.debug("closing the LISTEN connection failed", exc_info=True)
            self.connection = None


def _changes(payloads: Iterator[str]) -> Iterator[Change]:
    tables = {source.model._meta.db_table: source for source in SOURCES.values()}
    for payload in payloads:
        try:
            data = json.loads(payload)
            source = tables[data["table"]]
            record_id = data["id"]
            yield Change(
                source=source,
                op=str(data["op"]),
                record_id=None if record_id is None else str(record_id),
            )
        except (ValueError, KeyError, TypeError):
            logger.debug("ignoring notification %r", payload)
