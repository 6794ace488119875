"""Which PostgreSQL failures are retried: the connection's, never the statement's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from syncer.retry import database_retry, is_transient_database_error, transient_retries

pytestmark = pytest.mark.django_db(transaction=True)


def _attempts(statement: str, settings: Any) -> tuple[int, BaseException]:
    settings.SYNC_RETRY_ATTEMPTS = 3
    settings.SYNC_RETRY_BACKOFF_SECONDS = 0.01
    calls = []

    def operation() -> None:
        calls.append(1)
        with connection.cursor() as cursor:
            cursor.execute(statement)

    with transient_retries(), pytest.raises(Exception) as failure:
        database_retry(operation, what="a statement that cannot succeed")
    return len(calls), failure.value


def test_a_statement_timeout_is_not_retried(settings: Any) -> None:
    count, error = _attempts("SET LOCAL statement_timeout = 1; SELECT pg_sleep(1)", settings)
    assert isinstance(error, OperationalError)  # 57014: an OperationalError, not transient
    assert count == 1


def test_a_value_over_a_program_limit_is_not_retried(settings: Any) -> None:
    statement = (
        "CREATE TEMP TABLE IF NOT EXISTS long_keys (k text UNIQUE); "
        "INSERT INTO long_keys SELECT string_agg(md5(i::text), '') FROM generate_series(1, 400) i"
    )
    count, error = _attempts(statement, settings)
    assert isinstance(error, OperationalError)  # 54000: index row size exceeds btree maximum
    assert count == 1


def test_a_terminated_connection_is_transient() -> None:
    victim = connections.create_connection("default")
    victim.ensure_connection()
    pid = victim.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    with pytest.raises(OperationalError) as error:
        with victim.cursor() as cursor:
            cursor.execute("SELECT 1")
    victim.close()
    assert is_transient_database_error(error.value)
