"""Tab completion in the shell: backslash commands and command names as the first word; after
`table.` that table's columns; elsewhere SQL keywords, functions, tables and columns (those of
the tables the statement names first)."""

import re

from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.document import Document

from .catalog import Catalog

# (SIM905: sixty words read better as a text than one to a line.)
KEYWORDS = (  # noqa: SIM905
    "SELECT FROM WHERE AND OR NOT XOR IN IS NULL LIKE REGEXP BETWEEN EXISTS JOIN INNER LEFT "
    "RIGHT OUTER CROSS NATURAL ON USING GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET AS DISTINCT "
    "UNION ALL INTERSECT EXCEPT CASE WHEN THEN ELSE END WITH RECURSIVE EXPLAIN TRUE FALSE DIV MOD"
).split()
SQL_STARTERS = ("select", "with", "explain")
BACKSLASH = {
    "\\help": "what the shell understands",
    "\\tables": "the tables",
    "\\columns": "the columns of a table",
    "\\format": "table, json or csv",
    "\\quit": "leave (or Ctrl-D)",
}
_WORD = re.compile(r"[\w\\.-]*$")
_NAMES = re.compile(r"\w+")


class ShellCompleter(Completer):
    def __init__(self, catalog: Catalog, commands: list[str]):
        self.catalog = catalog
        self.commands = commands

    def get_completions(self, document: Document, complete_event):
        before = document.text_before_cursor
        word = _WORD.search(before).group()
        head = before[: len(before) - len(word)]
        if not document.text[: len(head)].strip():
            yield from self._first_word(word)
        elif head.lstrip().lower().startswith("\\columns"):
            yield from _matching(word, self.catalog.tables, "table")
        elif "." in word:
            table, _, partial = word.rpartition(".")
            yield from _matching(partial, self.catalog.tables.get(table.lower(), []), table)
        else:
            yield from self._in_statement(word, document.text)

    def _first_word(self, word: str):
        if word.startswith("\\"):
            yield from _matching(word, BACKSLASH, BACKSLASH)
            return
        yield from _matching(word, SQL_STARTERS, "SQL", upper=word[:1].isupper())
        yield from _matching(word, self.commands, "command")

    def _in_statement(self, word: str, text: str):
        upper = word[:1].isupper()
        yield from _matching(word, KEYWORDS, "keyword", upper=upper)
        yield from _matching(word, self.catalog.functions, "function", upper=upper)
        yield from _matching(word, self.catalog.tables, "table")
        named = {name.lower() for name in _NAMES.findall(text)} & set(self.catalog.tables)
        tables = sorted(named) or sorted(self.catalog.tables)
        seen = set()
        for table in tables:
            columns = [c for c in self.catalog.tables[table] if c not in seen]
            seen.update(columns)
            yield from _matching(word, columns, f"column of {table}")


def _matching(word: str, candidates, meta: str | dict, *, upper: bool | None = None):
    """Completions of the candidates that start with `word`, any case; keywords in the case of
    what was typed (`upper`); `meta` describes them all, or each (a dict)."""
    typed = word.lower()
    for candidate in candidates:
        if candidate.lower().startswith(typed) and candidate.lower() != typed:
            text = (
                candidate if upper is None else (candidate.upper() if upper else candidate.lower())
            )
            shown = meta.get(candidate, "") if isinstance(meta, dict) else meta
            yield Completion(text, -len(word), display_meta=shown)
