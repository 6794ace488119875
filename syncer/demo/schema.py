"""Create the two source tables from the copy of the main application's DDL.

Used by the test suite and the quickstart demo only: in production the tables belong to
another application and halasync never creates, alters or writes them.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

DDL_PATH = Path(__file__).with_name("source_schema.sql")
_TYPE_NAME = re.compile(r'CREATE TYPE "([^"]+)"')
_TABLE_NAME = re.compile(r'CREATE TABLE "([^"]+)"')


def _statements() -> list[str]:
    lines = [line.split("--", 1)[0] for line in DDL_PATH.read_text().splitlines()]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]


def source_tables_exist(connection: BaseDatabaseWrapper) -> dict[str, bool]:
    names = [settings.KNOWLEDGE_TABLE, settings.JOURNEY_TABLE]
    existing = set(connection.introspection.table_names())
    return {name: name in existing for name in names}


def source_tables_create(connection: BaseDatabaseWrapper) -> bool:
    """Create the enum types and tables that are missing; False when both tables exist.

    Table names follow KNOWLEDGE_TABLE / JOURNEY_TABLE (quoted by the connection).
    """
    exists = source_tables_exist(connection)
    if all(exists.values()):
        return False
    quote = connection.ops.quote_name
    configured = {
        "KnowledgeReference": settings.KNOWLEDGE_TABLE,
        "JourneyTemplate": settings.JOURNEY_TABLE,
    }
    with connection.cursor() as cursor:
        for statement in _statements():
            type_name = _TYPE_NAME.search(statement)
            if type_name:
                cursor.execute("SELECT 1 FROM pg_type WHERE typname = %s", [type_name.group(1)])
                if cursor.fetchone():
                    continue
            table = _TABLE_NAME.search(statement)
            if table:
                original, name = table.group(1), configured[table.group(1)]
                if exists[name]:
                    continue
                statement = statement.replace(f'"{original}"', quote(name), 1).replace(
                    f'"{original}_pkey"', quote(f"{name}_pkey")
                )
            cursor.execute(statement)
    return True
