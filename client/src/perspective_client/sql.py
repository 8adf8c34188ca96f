"""POST /query: statements with their parameters, results as tables, and errors that point at
the place in the SQL (a caret under the line)."""

import json
import re
from dataclasses import dataclass
from itertools import takewhile

from .api import Api
from .errors import BadUsage, CliError, Exit
from .output import Table

_POSITION = re.compile(r" at (\d+):(\d+)$")
_NAME = re.compile(r"\w+")


@dataclass(frozen=True)
class Result:
    status: str
    message: str
    columns: list[str]
    rows: list[list]
    truncated: bool = False

    @classmethod
    def from_wire(cls, wire: dict) -> "Result":
        data = wire.get("data") or {}
        return cls(
            status=wire["status"],
            message=wire.get("message") or "",
            columns=list(data.get("columnName") or []),
            rows=[row["value"] for row in data.get("row") or []],
            truncated=bool(wire.get("truncated")),
        )

    def table(self) -> Table:
        count = len(self.rows)
        footer = [f"{count} row{'' if count == 1 else 's'}"]
        notes = []
        if self.truncated:
            notes.append(
                f"Only the first {count} rows: the server cut the result at its row cap "
                "(narrow the query, or add LIMIT)"
            )
        data = {"columns": self.columns, "rows": self.rows, "truncated": self.truncated}
        return Table(self.columns, self.rows, data=data, footer=footer, notes=notes)


class SqlError(CliError):
    """A statement the server could not run: the message, and the line at fault with a caret."""

    def __init__(self, result: Result, sql: str):
        super().__init__(result.message, caret(sql, result.message))
        self.exit_code = Exit.FAILED if result.status == "evaluation_error" else Exit.USAGE


def run(api: Api, sql: str, parameters: list[dict] | None = None) -> list[Result]:
    """The results of the statements of `sql`; the first that failed raises SqlError."""
    results = fetch(api, sql, parameters)
    raise_failure(results, sql)
    return results


def fetch(api: Api, sql: str, parameters: list[dict] | None = None) -> list[Result]:
    """The result of each statement of `sql`, those that failed too."""
    wire = api.post("/query", [{"sql": sql, "parameters": parameters or []}])
    return [Result.from_wire(item) for item in wire]


def succeeded(results: list[Result]) -> list[Result]:
    """The results before the first that failed."""
    return list(takewhile(lambda result: result.status == "success", results))


def raise_failure(results: list[Result], sql: str) -> None:
    for result in results:
        if result.status != "success":
            raise SqlError(result, sql)


def run_each(api: Api, statements: list[tuple[str, list[dict]]]) -> list[Result]:
    """Several statements in one request, each with its own parameters; one result each."""
    body = [{"sql": sql, "parameters": parameters} for sql, parameters in statements]
    results = [Result.from_wire(item) for item in api.post("/query", body)]
    for result, (sql, _) in zip(results, statements, strict=True):
        if result.status != "success":
            raise SqlError(result, sql)
    return results


def positional(values: list) -> tuple[str, list[dict]]:
    """`?, ?, ?` and their parameters, for an `in (...)` list (`null` when there are none)."""
    marks = ", ".join("?" * len(values)) or "null"
    return marks, [{"index": n, "value": value} for n, value in enumerate(values, start=1)]


def columns_of(table: str) -> str:
    """`select columns('table')`: the function takes a literal, not a parameter."""
    if not _NAME.fullmatch(table):
        raise BadUsage(f'Table "{table}" does not exist')
    return f"select columns('{table}')"


def caret(sql: str, message: str) -> tuple[str, ...]:
    """The line a `... at LINE:COLUMN` message points at, and a caret under that column."""
    found = _POSITION.search(message)
    lines = sql.split("\n")
    if not found or not 1 <= int(found[1]) <= len(lines):
        return ()
    line, column = lines[int(found[1]) - 1], int(found[2])
    # Tabs stay tabs under the line, so that the caret lands under the same character.
    pad = "".join("\t" if char == "\t" else " " for char in line[:column])
    return (line, pad + "^")


def parameters(specs: tuple[str, ...]) -> list[dict]:
    """`-p name=value` (text), `-p name:=JSON` (a number, true, null...), `-p 1=value` for the
    first `?`."""
    found = []
    for spec in specs:
        name, raw, value = _split(spec)
        if raw:
            try:
                value = json.loads(value)
            except ValueError:
                raise BadUsage(f"-p {spec}: the value after := is not JSON") from None
        key = {"index": int(name)} if name.isdigit() else {"name": name}
        found.append({**key, "value": value})
    return found


def _split(spec: str) -> tuple[str, bool, str]:
    name, separator, value = spec.partition("=")
    if not separator or not name.rstrip(":"):
        raise BadUsage(f"-p {spec}: expected NAME=VALUE (or NAME:=JSON)")
    if name.endswith(":"):
        return name[:-1], True, value
    return name, False, value
