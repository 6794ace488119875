"""The API against its own OpenAPI schema, fuzzed with schemathesis.

Valid and invalid requests (positive and negative generation) for every operation, as
a user with ``syncer.run_sync``, over small real data in a real Chroma directory with
the real model. No answer may be a 5xx, and every answer must match the schema: its
status code, content type, headers and body.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from syncer.services.runs import sync_run_execute

# Valid requests may still be refused for reasons the schema cannot know about: an id
# that exists on neither side (404), a run already queued or running (409), a row that
# cannot become a document (422).
ACCEPTED_ANSWERS = ["2xx", "404", "409", "422"]

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 12, "allow-x00": True},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_ANSWERS}},
    }
)


# Loaded at collection time through the WSGI application (no server, no database:
# the schema view needs neither). schemathesis.pytest.from_fixture would be the lazy
# alternative, but it does not work with pytest 9 (it reads Function._nodeid).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture
def in_test_transaction() -> Any:
    """Serve the requests inside the test's transaction, as Django's test client does.

    schemathesis calls the WSGI application directly, and Django's handler closes the
    database connection at the start and end of each request (close_old_connections),
    which would end the test's transaction and lose its data. Django's own test client
    disconnects that signal handler for the same reason.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def data(make_knowledge, make_journey, chroma, in_test_transaction):
    make_knowledge(id="ref with space?&#", tags=["anxiety"], category="VERSE")
    make_knowledge(id="ref_2", title={"en": "Patience"}, content={"en": "Be patient."})
    make_journey(id="tpl_1", goal_keyword="sleep better")
    sync_run_execute(mode="full", trigger="cli")


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_honours_its_schema(case: Any, operator: Any, data: None) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {operator.auth_token.key}"})
