"""Source rows for the admin's pages, whatever their timestamps hold.

PostgreSQL timestamps reach from 4713 BC to 294276 AD and ``infinity``; Python's from year
1 to 9999. psycopg cannot load a row holding anything else, and the ORM fails the whole
query with it: one such row made every list page it fell on, its detail page and the date
drill-down answer 500. The sync reads such a row as ``selectors.UnreadableRow`` and records
a record error; the admin must still list it and say what it holds. So the admin reads
each timestamp column twice in one query: the value when Python can hold it, and
PostgreSQL's text of it. JSON columns are read as text and decoded here: a value nesting
deeper than Python's json decodes (RecursionError) or a number of thousands of digits
(ValueError) is shown as unreadable instead of failing the page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    JSONField,
    Model,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from syncer.sources.base import DocumentError, json_depth_check

# What Python's datetime can hold; a condition that keeps a query clear of the rest.
READABLE_RANGE = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


def timestamp_fields(model: type[Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, DateTimeField)]


def json_fields(model: type[Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if isinstance(field, JSONField)]


# How much of a JSON value that cannot be shown decoded is shown as its text instead.
UNREADABLE_JSON_SHOWN = 2_000


def _json_decoded(text: str | None) -> tuple[Any, str | None]:
    """(the value, None), or (the start of its text, why it cannot be shown decoded) for
    JSON Python cannot decode or that nests deeper than the sync converts (the page would
    fail encoding it again)."""
    if text is None:
        return None, None
    try:
        value = json.loads(text)
        json_depth_check(value, "the value")
    except RecursionError:
        problem = "JSON nesting deeper than Python can decode"
    except DocumentError as exc:
        problem = str(exc).split(";")[0]
    except ValueError as exc:
        problem = f"JSON Python cannot decode: {str(exc).splitlines()[0][:200]}"
    else:
        return value, None
    shown = text if len(text) <= UNREADABLE_JSON_SHOWN else text[:UNREADABLE_JSON_SHOWN] + "…"
    return shown, problem


def rows_displayable(*, queryset: QuerySet, ids: Sequence[str]) -> list[Model]:
    """The rows of ``queryset`` with these ids, in the order of ``ids`` (ids no row has are
    left out). A timestamp Python cannot hold is None on the row, and PostgreSQL's text of
    it is in ``row.unreadable[field_name]``; ``row.unreadable`` is empty for other rows.
    A JSON value that cannot be shown decoded is the start of its text, with the reason
    in ``row.unreadable``."""
    fields = timestamp_fields(queryset.model)
    jsons = json_fields(queryset.model)
    annotations = {}
    for name in fields:
        annotations[f"_{name}_readable"] = Case(
            When(**{f"{name}__range": READABLE_RANGE}, then=F(name)),
            default=Value(None),
            output_field=DateTimeField(),
        )
        annotations[f"_{name}_text"] = Cast(name, TextField())
    for name in jsons:
        annotations[f"_{name}_json"] = Cast(name, TextField())
    loaded = queryset.filter(pk__in=list(ids)).defer(*fields, *jsons).annotate(**annotations)
    rows = {}
    for row in loaded:
        row.unreadable = {}
        for name in fields:
            value, text = getattr(row, f"_{name}_readable"), getattr(row, f"_{name}_text")
            setattr(row, name, value)  # set, so never loaded (and failing) later
            if value is None and text is not None:
                row.unreadable[name] = text
        for name in jsons:
            value, problem = _json_decoded(getattr(row, f"_{name}_json"))
            setattr(row, name, value)
            if problem is not None:
                row.unreadable[name] = problem
        rows[row.pk] = row
    return [rows[record_id] for record_id in ids if record_id in rows]
