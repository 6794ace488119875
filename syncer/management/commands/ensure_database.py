"""Create halasync's own database (DATABASE_URL) when it does not exist yet."""

from __future__ import annotations

from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    help = "Create the database named by DATABASE_URL if it is missing (needs CREATEDB)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        config = settings.DATABASES["default"]
        name = config["NAME"]
        params = {
            "dbname": "postgres",
            "user": config.get("USER") or None,
            "password": config.get("PASSWORD") or None,
            "host": config.get("HOST") or None,
            "port": config.get("PORT") or None,
        }
        try:
            with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if exists:
                    self.stdout.write(f"Database {name!r} exists.")
                    return
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise CommandError(
                f"could not check or create database {name!r} on {config.get('HOST')}:"
                f"{config.get('PORT')}: {exc}. Is PostgreSQL running, and may this user create "
                "databases? Otherwise create it by hand and run migrate."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Created database {name!r}."))
