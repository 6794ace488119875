"""Error messages for people who may see the reason but not the infrastructure.

A run's error is shown to every signed-in user (the API's runs, the admin's run pages,
``sync … --json``, stats). psycopg's reasons name the database server, its port and the
database or role ("connection to server at "10.0.3.7", port 5432 failed: FATAL: database
"halasync" does not exist"); Chroma's name its directory or server. ``error_public``
keeps the reason and blanks those details; the full message goes to the log.
"""

from __future__ import annotations

import re

HIDDEN = "…"

_SUBSTITUTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # URLs first (they may hold user:password@host:port): the whole of them.
    (re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+"), HIDDEN),
    # A quoted name after the word that says what it is: psycopg's `server at "host"`,
    # `on socket "/path"`, `database "name"`, `role "name"`, `user "name"`, `host 'name'`.
    (
        re.compile(r"\b(at|socket|host|hostaddr|user|database|role|schema)\s+([\"'])[^\"'\n]*\2"),
        rf"\1 \2{HIDDEN}\2",
    ),
    # The address psycopg adds after a host name: `"localhost" (::1)`, `(10.0.3.7)`.
    (re.compile(r"\((?:\d{1,3}\.){3}\d{1,3}\)|\([0-9A-Fa-f]*:[0-9A-Fa-f:.]+\)"), f"({HIDDEN})"),
    (re.compile(r"\bport\s+\d+"), f"port {HIDDEN}"),
    # Chroma's location in halasync's own messages: `server host:8000`, `directory /path`.
    (re.compile(r"\bserver\s+[^\s;,]+:\d+"), f"server {HIDDEN}"),
    # Anything else that looks like an IPv4 address (with its port), or an absolute path.
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), HIDDEN),
    (re.compile(r"(?<![\w/.:~-])/[^\s\"';,()]+"), HIDDEN),
)


def error_public(message: str) -> str:
    """``message`` without host names, addresses, ports, database, role and user names,
    file paths or URLs; the rest (what failed and why) is kept word for word."""
    for pattern, replacement in _SUBSTITUTIONS:
        message = pattern.sub(replacement, message)
    return message
