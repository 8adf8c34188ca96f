"""MkDocs hook: the reference parts of the docs, made from the code at each build.

A page asks for one with a marker line, `<!-- reference: NAME -->`; an unknown name, or a batch
endpoint without a rule, fails the build. Made here: the /query tables and functions (from
apps/query), every environment variable with its default (settings.ENVIRONMENT), each batch
endpoint's rules (apps/operations/rules.py) and the error texts of the OpenAPI schema.
"""

import os
import re
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]

MARKER = re.compile(r"^<!-- reference: ([\w-]+) -->$", re.M)


def on_config(config):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
    return config


def on_page_markdown(markdown, page, config, files):
    return MARKER.sub(lambda match: _REFERENCES[match.group(1)](), markdown)


def _code(text: str) -> str:
    return "none" if text == "none" else f"`{text}`"


def _table(header: tuple[str, ...], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def query_tables() -> str:
    from apps.query.catalog import TABLES

    parts = []
    for table in sorted(TABLES.values(), key=lambda t: t.name):
        seen = (
            f"rows of the projects the user sees (`{table.project_column}`)"
            if table.project_column
            else f"rows linked to a visible row of `{table.through.table}`"
        )
        parts.append(f"### {table.name}\n\n{table.description or ''}\n\nA user sees the {seen}.\n")
        rows = [(f"`{c.name}`", c.type, "yes" if c.indexed else "") for c in table.columns]
        parts.append(_table(("column", "type", "indexed"), rows))
    return "\n".join(parts)


def query_functions() -> str:
    from apps.query.functions import BUILTIN_DESCRIPTIONS, FUNCTIONS, META_FUNCTIONS

    header = ("function", "what it returns", "example")
    rows = [
        (f"`{f.signature}`", f.description, _code(EXAMPLES[f.name]))
        for f in sorted(FUNCTIONS.values(), key=lambda f: f.name)
    ]
    meta = [(f"`{sig}`", text, f"`SELECT {_call(sig)}`") for sig, text in META_FUNCTIONS.values()]
    builtins = [(f"`{name}`", text) for name, text in sorted(BUILTIN_DESCRIPTIONS.items())]
    return (
        "### Functions\n\n"
        + _table(header, rows)
        + "\n### Catalog functions\n\nThe whole select list of a query without FROM.\n\n"
        + _table(header, meta)
        + "\n### Aggregates and NULL handling\n\n"
        + _table(header[:2], builtins)
    )


# A statement calling each function, on the flavors where it takes a column; a function without
# one fails tests/query/test_docs_reference.py, which also runs every example through POST /query.
EXAMPLES = {
    "ABS": "SELECT ABS(-vcpus) FROM flavors",
    "ACOS": "SELECT ACOS(0.5)",
    "ASIN": "SELECT ASIN(0.5)",
    "ATAN": "SELECT ATAN(1)",
    "BASE64": "SELECT name, BASE64(name) FROM flavors",
    "BIT_LENGTH": "SELECT name, BIT_LENGTH(name) FROM flavors",
    "CBRT": "SELECT CBRT(27)",
    "CEIL": "SELECT name, CEIL(ram / 1024) FROM flavors",
    "CHAR": "SELECT CHAR(72, 105)",
    "CHAR_LENGTH": "SELECT name, CHAR_LENGTH(name) FROM instances",
    "CONCAT": "SELECT CONCAT(name, ' (', state, ')') FROM instances",
    "CONV": "SELECT CONV('ff', 16, 10)",
    "COS": "SELECT COS(PI())",
    "COT": "SELECT COT(1)",
    "CRC32": "SELECT name, CRC32(name) FROM images",
    "DEGREES": "SELECT DEGREES(PI())",
    "E": "SELECT E()",
    "EXP": "SELECT EXP(1)",
    "FLOOR": "SELECT name, FLOOR(ram / 1024) FROM flavors",
    "FORMAT": "SELECT FORMAT('%-20s %3d vcpus', name, vcpus) FROM flavors",
    "JOIN": "SELECT JOIN('/', cloud_id, name) FROM projects",
    "LN": "SELECT LN(E())",
    "LOG": "SELECT LOG(2, 1024)",
    "LOG10": "SELECT LOG10(1000)",
    "LOWER": "SELECT LOWER(name) FROM instances",
    "MOD": "SELECT name, MOD(vcpus, 2) FROM flavors",
    "PI": "SELECT PI()",
    "POWER": "SELECT POWER(2, 10)",
    "RADIANS": "SELECT RADIANS(180)",
    "RAND": "SELECT name FROM instances ORDER BY RAND() LIMIT 3",
    "REPLACE": "SELECT REPLACE(name, '-', '_') FROM instances",
    "REVERSE": "SELECT REVERSE(name) FROM instances",
    "ROUND": "SELECT name, ROUND(ram / 1024, 1) FROM flavors",
    "SIGN": "SELECT SIGN(-3)",
    "SIN": "SELECT SIN(PI() / 2)",
    "SQRT": "SELECT SQRT(vcpus) FROM flavors",
    "SUBSTR": "SELECT SUBSTR(name, 1, 5) FROM instances",
    "TAN": "SELECT TAN(1)",
    "TRIM": "SELECT TRIM('  web  ')",
    "TRUNCATE": "SELECT TRUNCATE(PI(), 2)",
    "TYPEOF": "SELECT name, TYPEOF(vcpus, 'INTEGER') FROM flavors",
    "UPPER": "SELECT UPPER(state) FROM instances",
    "VERSION": "SELECT VERSION()",
}


def _call(signature: str) -> str:
    """A catalog function's call: its table argument the flavors."""
    return signature.replace("(T)", "('flavors')")


def settings_table() -> str:
    from django.conf import settings

    rows = [
        (f"`{v.name}`", v.described or _code(v.shown), v.meaning)
        for v in settings.ENVIRONMENT.values()
    ]
    return _table(("variable", "default", "meaning"), rows)


def batch_rules() -> str:
    from django.urls import get_resolver

    from apps.operations.api import views
    from apps.operations.rules import RULES, concrete

    ended = {
        views.LaunchView: "addInstance",
        views.RenameView: "renameInstance",
        views.ResizeView: "resizeInstance",
        views.RebuildView: "rebuildInstance",
        views.SnapshotView: "addImage",
        views.ImageDeleteView: "deleteImage",
    }
    rows = []
    for route, pattern in _routes(get_resolver()):
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, views.BatchView) or view is views.AcknowledgeView:
            continue
        operation = pattern.callback.view_initkwargs.get("operation") or ended[view]
        rule = RULES[operation]
        methods = [
            m.upper()
            for m in pattern.callback.view_initkwargs.get("http_method_names", [])
            if m != "options"
        ] or sorted(m.upper() for m in ("post", "put", "delete") if hasattr(view, m))
        allowed = _states(rule)
        also = concrete(operation, "paused")
        note = f"; a paused instance is unpaused ({also})" if also != operation else ""
        refused = f"Cannot {rule.verb} an {rule.noun} in state …{note}" if rule.allowed else ""
        rows.append(
            (
                f"{'/'.join(methods)} `/{route}`",
                f"`{operation}`",
                rule.noun,
                allowed,
                rule.interim or "(unchanged)",
                refused,
            )
        )
    return _table(
        (
            "endpoint",
            "operation",
            "acts on",
            "allowed from states",
            "shows at once",
            "skipped otherwise as",
        ),
        rows,
    )


def _states(rule) -> str:
    """The states an operation may start from, or those it may not when they are fewer."""
    from apps.inventory.choices import ImageState, InstanceState

    if not rule.allowed:
        return "(a new instance)"
    every = set(ImageState if rule.noun == "image" else InstanceState)
    refused = every - rule.allowed
    if len(refused) < len(rule.allowed):
        return "any but " + ", ".join(sorted(refused))
    return ", ".join(sorted(rule.allowed))


def _routes(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern, route)
        else:
            yield route, pattern


def api_errors() -> str:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    rows = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in sorted(operation.get("responses", {}).items()):
                if code.isdigit() and int(code) >= 400 and response.get("description"):
                    rows.append((f"{method.upper()} `{path}`", code, response["description"]))
    return _table(("endpoint", "status", "when, and the message"), rows)


_REFERENCES = {
    "query-tables": query_tables,
    "query-functions": query_functions,
    "settings": settings_table,
    "batch-rules": batch_rules,
    "api-errors": api_errors,
}
