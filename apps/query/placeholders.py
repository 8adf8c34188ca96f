"""Splits a request's SQL into statements and finds its placeholders, outside quoted literals,
quoted identifiers and comments (MySQL's lexical rules).

`:name:` (letters, digits, `_`, `.`) and `?` become markers `:pN` that the parser reads as
placeholders; each marker's key says which parameter binds it: ("name", "x") or ("index", n),
positional ones numbered from 1 across the whole request, as the original did.
"""

import re
from dataclasses import dataclass, field

from .errors import QueryError

NAMED = re.compile(r":([A-Za-z0-9_.]+):")
QUOTES = "'\"`"  # strings in single or double quotes, names in backticks
# A run of characters that start nothing: no quote, comment, separator or placeholder.
PLAIN = re.compile(r"[^'\"`/#;?:-]+")

Key = tuple[str, str | int]


@dataclass(frozen=True)
class Statement:
    text: str  # with markers instead of placeholders
    keys: tuple[Key, ...]  # the key of marker :pN at position N
    start: int  # where the statement starts in the request's SQL
    # (offset in text, offset in the original statement) at each marker, to map positions back.
    anchors: tuple[tuple[int, int], ...]
    source: str = field(repr=False)  # the request's whole SQL

    def position(self, offset: int) -> tuple[int, int]:
        """(line from 1, column from 0) in the request's SQL of an offset in `text`."""
        new, old = 0, 0
        for anchor_new, anchor_old in self.anchors:
            if anchor_new > offset:
                break
            new, old = anchor_new, anchor_old
        at = self.start + old + (offset - new)
        return self.source.count("\n", 0, at) + 1, at - (self.source.rfind("\n", 0, at) + 1)


class _Scanner:
    def __init__(self, sql: str):
        self.sql = sql
        self.position = 0
        self.positional = 0
        self.statements: list[Statement] = []
        self._begin(0)

    def _begin(self, start: int) -> None:
        self.start = start
        self.parts: list[str] = []
        self.keys: list[Key] = []
        self.anchors: list[tuple[int, int]] = []
        self.length = 0  # of the text built so far
        self.copied = start  # end of the original text already copied
        self.content = False  # anything but whitespace and comments seen

    def scan(self) -> list[Statement]:
        sql = self.sql
        while self.position < len(sql):
            char = sql[self.position]
            if sql.startswith("/*", self.position):
                self.position = self._skip_to("*/", self.position + 2)
            elif char == "#" or self._line_comment():
                self.position = self._skip_to("\n", self.position)
            elif char == ";":
                self._end(self.position)
                self.position += 1
                self._begin(self.position)
            else:
                self._content(char)
        self._end(len(sql))
        return self.statements

    def _content(self, char: str) -> None:
        self.content = self.content or not char.isspace()
        if char in QUOTES:
            self.position = self._skip_quoted(char)
        elif char == "?":
            self.positional += 1
            self._marker(("index", self.positional), 1)
        elif char == ":":
            self._named()
        else:
            plain = PLAIN.match(self.sql, self.position + 1)
            if plain:
                self.content = self.content or not plain.group().isspace()
            self.position = plain.end() if plain else self.position + 1

    def _line_comment(self) -> bool:
        # MySQL needs whitespace (or the end) after "--" for a comment.
        sql, at = self.sql, self.position
        return sql.startswith("--", at) and (at + 2 == len(sql) or sql[at + 2].isspace())

    def _skip_quoted(self, quote: str) -> int:
        sql, at = self.sql, self.position + 1
        while at < len(sql):
            if sql[at] == "\\" and quote != "`":
                at += 2
            elif sql[at] == quote:
                if not sql.startswith(quote * 2, at):
                    return at + 1
                at += 2
            else:
                at += 1
        raise QueryError.syntax(f"Unterminated quoted text starting at position {self.position}")

    def _skip_to(self, end: str, at: int) -> int:
        found = self.sql.find(end, at)
        return len(self.sql) if found < 0 else found + len(end)

    def _named(self) -> None:
        match = NAMED.match(self.sql, self.position)
        if not match:
            raise QueryError.syntax(
                f'Unexpected ":" at position {self.position}: placeholders are :name:'
            )
        self._marker(("name", match.group(1)), len(match.group(0)))

    def _marker(self, key: Key, length: int) -> None:
        self.parts.append(self.sql[self.copied : self.position])
        self.length += self.position - self.copied
        marker = f":p{len(self.keys)}"
        self.parts.append(marker)
        self.keys.append(key)
        self.length += len(marker)
        self.position += length
        self.copied = self.position
        self.anchors.append((self.length, self.position - self.start))

    def _end(self, end: int) -> None:
        self.parts.append(self.sql[self.copied : end])
        text = "".join(self.parts)
        if self.content:
            self.statements.append(
                Statement(text, tuple(self.keys), self.start, tuple(self.anchors), self.sql)
            )


def split(sql: str) -> list[Statement]:
    """The statements of `sql`, each with its placeholders replaced by markers."""
    return _Scanner(sql).scan()
