"""docs/reference.md against the code: every halasync management command, subcommand,
flag and positional argument (read from the commands' argparse parsers), every URL outside
the admin with its HTTP methods (read from the URLconf), and every environment variable
that halasync/settings.py reads (read from its syntax tree) is in the reference's tables,
and every name in those tables exists in the code. Prose is never searched: only the
first cells of the tables under "## Command line", "## REST API" and "## Configuration"."""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import BaseCommand, get_commands, load_command_class
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
SETTINGS = ROOT / "halasync" / "settings.py"
CODE_SPAN = re.compile(r"`([^`]+)`")
PLACEHOLDER = re.compile(r"<[^>]*>")
# The pseudo-command of the reference's table whose options every subcommand of its
# parent takes ("sync <subcommand>").
EVERY_SUBCOMMAND = "<subcommand>"


# --- reading the reference --------------------------------------------------------------


def markdown_section(text: str, heading: str) -> str:
    """The body of the level-2 section ``heading`` (up to the next level-2 heading)."""
    lines = text.splitlines()
    try:
        start = lines.index(f"## {heading}") + 1
    except ValueError:
        raise AssertionError(f"docs/reference.md has no section '## {heading}'") from None
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    return "\n".join(lines[start:end])


def markdown_table(section: str, first_header: str) -> list[list[str]]:
    """The body rows (as cells) of the first table in ``section`` whose first header cell
    is ``first_header``."""
    rows: list[list[str]] = []
    inside = False
    for line in section.splitlines():
        if not line.startswith("|"):
            if inside:
                break
            continue
        # A "|" inside a code span (`knowledge\|journeys`) is escaped: not a cell border.
        cells = [
            cell.strip().replace("\\|", "|")
            for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))
        ]
        if not inside:
            inside = cells[0] == first_header
            continue
        if set(cells[0]) <= {"-", ":"}:
            continue
        rows.append(cells)
    assert rows, f"no table starting with '| {first_header} |' in that section"
    return rows


def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def documented_commands() -> dict[tuple[str, ...], dict[str, set[str]]]:
    """{("sync", "full"): {"options": {"--force", …}, "positionals": {"id"}}, …}."""
    table = markdown_table(markdown_section(reference_text(), "Command line"), "command")
    documented: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for cells in table:
        spans = CODE_SPAN.findall(cells[0])
        assert len(spans) == 1, f"one command in backticks per row: {cells[0]!r}"
        words = spans[0].split()
        path = tuple(w for w in words if not PLACEHOLDER.fullmatch(w) or w == EVERY_SUBCOMMAND)
        positionals = {w[1:-1] for w in words if PLACEHOLDER.fullmatch(w)} - {"subcommand"}
        options = {
            option
            for span in CODE_SPAN.findall(cells[1])
            for option in span.split("/")
            if option.startswith("-")
        }
        assert path not in documented, f"{' '.join(path)} has two rows"
        documented[path] = {"options": options, "positionals": positionals}
    return documented


def documented_endpoints() -> set[tuple[str, str]]:
    """{("POST", "/api/v1/sync/run"), …}, path parameters written as ``<>``."""
    table = markdown_table(markdown_section(reference_text(), "REST API"), "method")
    endpoints = set()
    for cells in table:
        methods, paths = CODE_SPAN.findall(cells[0]), CODE_SPAN.findall(cells[1])
        assert methods and len(paths) == 1, f"a method and one path per row: {cells[:2]}"
        for method in methods:
            endpoints.add((method.upper(), PLACEHOLDER.sub("<>", paths[0])))
    return endpoints


def documented_variables() -> set[str]:
    table = markdown_table(markdown_section(reference_text(), "Configuration"), "variable")
    variables = set()
    for cells in table:
        names = CODE_SPAN.findall(cells[0])
        assert names, f"a variable in backticks per row: {cells[0]!r}"
        variables.update(names)
    return variables


# --- reading the code --------------------------------------------------------------------


def project_commands() -> dict[str, str]:
    """{command name: app} for the management commands of halasync's own apps."""
    own_apps = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and "site-packages" not in Path(config.path).parts  # a virtualenv inside the checkout
    }
    return {name: app for name, app in get_commands().items() if app in own_apps}


def django_default_options() -> set[str]:
    """Options every Django command has (--settings, --verbosity, --help, …): Django's
    documentation covers them."""
    parser = BaseCommand().create_parser("manage.py", "command")
    return {option for action in parser._actions for option in action.option_strings}


def parser_leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Each runnable command path with its parser: subcommands replace their parent."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for action in subparsers:
        for name, subparser in action.choices.items():
            yield from parser_leaves(subparser, (*path, name))


def code_commands() -> dict[tuple[str, ...], dict[str, set[str]]]:
    defaults = django_default_options()
    found: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for name, app in project_commands().items():
        parser = load_command_class(app, name).create_parser("manage.py", name)
        for path, leaf in parser_leaves(parser, (name,)):
            found[path] = {
                "options": {
                    option
                    for action in leaf._actions
                    for option in action.option_strings
                    if option not in defaults
                },
                "positionals": {
                    action.dest
                    for action in leaf._actions
                    if not action.option_strings
                    and not isinstance(action, argparse._SubParsersAction)
                },
            }
    return found


def url_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = "/"
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        else:
            yield route, pattern


def view_methods(pattern: URLPattern) -> set[str]:
    """The HTTP methods a view answers, besides HEAD and OPTIONS (which every view has)."""
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    assert view is not None, f"{pattern} is not a class-based view: list its methods here"
    return {
        method.upper()
        for method in view.http_method_names
        if method not in ("head", "options") and hasattr(view, method)
    }


def code_endpoints() -> set[tuple[str, str]]:
    endpoints = set()
    for route, pattern in url_patterns(get_resolver().url_patterns):
        if route.startswith("/admin/"):
            continue  # the Django admin: its pages are described in prose
        for method in view_methods(pattern):
            endpoints.add((method, PLACEHOLDER.sub("<>", route)))
    return endpoints


def code_variables() -> set[str]:
    """Names of the environment variables halasync/settings.py reads: the first argument
    of every ``env(...)`` / ``env.<cast>(...)`` call, and of calls to the settings module's
    own helpers that pass their first parameter on to such a call (``_rate``)."""
    tree = ast.parse(SETTINGS.read_text(encoding="utf-8"))

    def reads_env(call: ast.Call) -> bool:
        func = call.func
        return (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
            # read_env loads .env; *_config and parse_* convert a value already read.
            and func.attr != "read_env"
            and not func.attr.endswith("_config")
            and not func.attr.startswith("parse")
        )

    helpers, forwarded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            first = node.args.args[0].arg
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and reads_env(call)
                    and call.args
                    and isinstance(call.args[0], ast.Name)
                    and call.args[0].id == first
                ):
                    helpers.add(node.name)
                    forwarded.add(call)
    names = set()
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not call.args or call in forwarded:
            continue
        helper = isinstance(call.func, ast.Name) and call.func.id in helpers
        if reads_env(call) or helper:
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif not helper:
                raise AssertionError(
                    f"settings.py line {call.lineno}: an environment read whose name is not "
                    "a literal; the reference test cannot follow it"
                )
    return names


# --- the tests ---------------------------------------------------------------------------


def test_reference_lists_every_command_flag_and_argument() -> None:
    documented, code = documented_commands(), code_commands()
    every = {path[:-1]: row for path, row in documented.items() if path[-1] == EVERY_SUBCOMMAND}
    problems = []
    for path in sorted(set(code) - set(documented)):
        problems.append(f"`{' '.join(path)}` exists but has no row")
    for path in sorted(set(documented) - set(code) - {(*p, EVERY_SUBCOMMAND) for p in every}):
        problems.append(f"`{' '.join(path)}` is documented but does not exist")
    for parent, row in every.items():
        children = [path for path in code if path[: len(parent)] == parent]
        assert children, f"`{' '.join(parent)} {EVERY_SUBCOMMAND}`: no such command"
        for path in children:
            for option in sorted(row["options"] - code[path]["options"]):
                problems.append(f"`{' '.join(path)}` does not take {option}")
    for path in sorted(set(code) & set(documented)):
        shared = every.get(path[:-1], {"options": set()})["options"]
        have, said = code[path], documented[path]
        for option in sorted(have["options"] - said["options"] - shared):
            problems.append(f"`{' '.join(path)}`: {option} is not documented")
        for option in sorted(said["options"] - have["options"]):
            problems.append(f"`{' '.join(path)}`: {option} is documented but does not exist")
        if have["positionals"] != said["positionals"]:
            problems.append(
                f"`{' '.join(path)}`: arguments {sorted(have['positionals'])} in the code, "
                f"{sorted(said['positionals'])} in the reference"
            )
    assert not problems, "docs/reference.md, Command line:\n" + "\n".join(problems)


def test_reference_lists_every_endpoint() -> None:
    documented, code = documented_endpoints(), code_endpoints()
    assert code, "no endpoint found in the URLconf"
    problems = [f"{m} {p} exists but is not documented" for m, p in sorted(code - documented)]
    problems += [f"{m} {p} is documented but does not exist" for m, p in sorted(documented - code)]
    assert not problems, "docs/reference.md, REST API:\n" + "\n".join(problems)


def test_reference_lists_every_environment_variable() -> None:
    documented, code = documented_variables(), code_variables()
    assert "DATABASE_URL" in code, "the settings' environment reads were not found"
    problems = [f"{name} is read but not documented" for name in sorted(code - documented)]
    problems += [f"{name} is documented but never read" for name in sorted(documented - code)]
    assert not problems, "docs/reference.md, Configuration:\n" + "\n".join(problems)


# --- the checks themselves catch drift -----------------------------------------------------


def test_an_undocumented_flag_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A flag added to a subcommand without a reference row fails the check, and so does a
    documented flag removed from the code."""
    code = code_commands()
    extra = {path: {k: set(v) for k, v in row.items()} for path, row in code.items()}
    extra[("sync", "stats")]["options"].add("--brand-new")
    monkeypatch.setattr(f"{__name__}.code_commands", lambda: extra)
    with pytest.raises(AssertionError, match=r"sync stats`: --brand-new is not documented"):
        test_reference_lists_every_command_flag_and_argument()

    fewer = {path: {k: set(v) for k, v in row.items()} for path, row in code.items()}
    fewer[("sync", "full")]["options"].discard("--rebuild")
    monkeypatch.setattr(f"{__name__}.code_commands", lambda: fewer)
    with pytest.raises(AssertionError, match=r"sync full`: --rebuild is documented but"):
        test_reference_lists_every_command_flag_and_argument()


def test_an_undocumented_endpoint_or_variable_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    endpoints = code_endpoints()
    monkeypatch.setattr(
        f"{__name__}.code_endpoints", lambda: endpoints | {("DELETE", "/api/v1/sync/runs/<>")}
    )
    with pytest.raises(AssertionError, match=r"DELETE /api/v1/sync/runs/<> exists"):
        test_reference_lists_every_endpoint()
    variables = code_variables()
    monkeypatch.setattr(f"{__name__}.code_variables", lambda: variables - {"SYNC_LOG_FILE"})
    with pytest.raises(AssertionError, match=r"SYNC_LOG_FILE is documented but never read"):
        test_reference_lists_every_environment_variable()


def test_settings_reads_are_found_through_helpers() -> None:
    """``_rate("API_THROTTLE_USER_RATE", …)`` reads the environment through a helper: the
    syntax-tree reader follows it (a grep for ``env.`` would not)."""
    assert {"API_THROTTLE_USER_RATE", "API_THROTTLE_ANON_RATE", "CACHE_URL"} <= code_variables()
