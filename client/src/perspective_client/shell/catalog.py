"""What the shell completes: the tables and their columns, and the functions, from the server's
catalog (`select tables()`, `columns(...)`, `functions()`), in two requests."""

from dataclasses import dataclass, field

from ..api import Api
from ..sql import columns_of, run_each


@dataclass(frozen=True)
class Catalog:
    tables: dict[str, list[str]] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, api: Api) -> "Catalog":
        names, functions = run_each(api, [("select tables()", []), ("select functions()", [])])
        tables = [row[0] for row in names.rows]
        statements = [(columns_of(table), []) for table in tables]
        columns = run_each(api, statements) if statements else []
        return cls(
            tables={t: [row[0] for row in r.rows] for t, r in zip(tables, columns, strict=True)},
            functions=sorted({row[0].upper() for row in functions.rows}),
        )
