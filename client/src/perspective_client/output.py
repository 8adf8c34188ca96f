"""What a command prints: its result on standard output as a table (on a terminal), JSON (when
piped) or CSV; everything said to the person (notes, prompts, progress) apart from the result
goes to standard error when the result is data, so that a pipe gets the data alone."""

import csv
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

FORMATS = ("table", "json", "csv")


@dataclass
class Table:
    columns: list[str]
    rows: list[list]
    data: Any = None  # what JSON shows; the rows as objects unless given
    footer: list[str] = field(default_factory=list)  # lines under the table
    notes: list[str] = field(default_factory=list)  # under it too, and on stderr with data
    title: str | None = None
    empty: str | None = None  # said on a table instead of an empty one

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Output:
    def __init__(self, format: str | None = None):
        self.format = format or ("table" if sys.stdout.isatty() else "json")
        # Lines of text are not wrapped (a pipe gets them whole); tables fit the width.
        self.console = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def is_table(self) -> bool:
        return self.format == "table"

    def table(self, table: Table) -> None:
        if self.format == "json":
            self.json(table.records() if table.data is None else table.data)
        elif self.format == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows([cell(value) for value in row] for row in table.rows)
            sys.stdout.flush()
        elif not table.rows and table.empty:
            self.console.print(table.empty)
        else:
            self.console.print(rich_table(table))
            for line in table.footer:
                self.console.print(Text(line, style="dim"))
        for line in table.notes:
            self.note(line, style="yellow")

    def json(self, value: Any) -> None:
        sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def note(self, text: str | Text, style: str = "") -> None:
        """A line for the person: with the result on a table, apart from data otherwise."""
        line = text if isinstance(text, Text) else Text(text, style=style)
        (self.console if self.is_table else self.err).print(line)

    def say(self, text: str, style: str = "yellow") -> None:
        """A line on standard error whatever the format: waits, warnings."""
        self.err.print(Text(text, style=style))


def rich_table(table: Table) -> RichTable:
    shown = RichTable(title=table.title, header_style="bold", title_justify="left")
    for column in table.columns:
        shown.add_column(column, overflow="fold")
    for row in table.rows:
        shown.add_row(*(Text(cell(value)) for value in row))
    return shown


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
