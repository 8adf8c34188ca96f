"""REGEXP on SQLite, which cannot run away: what the listings' `name__regex` and /query's
REGEXP call there (registered on every SQLite connection, with /query's functions, by
apps/query/apps.py).

It reads patterns as Django's own REGEXP does (Python's syntax, `re.search` on the value as
text, NULL for NULL), but matches with the `regex` module in its `re`-compatible VERSION0,
which can stop a match: Python's `re` cannot, and one catastrophic pattern (`^(a|aa)+$`) would
hold the thread for minutes, out of reach of SQLite's progress handler, which runs between
instructions. A match stops after CALL_TIME_LIMIT_MS, or at the deadline of the time limit it
runs under (time_limit.py), whichever comes first.

`regex` writes counted repeats out in full when it compiles (`(?:ab|c){200000}` takes the
process down), so a pattern is first read by Python's own parser, which also keeps the syntax
exactly `re`'s, and refused when written out it would exceed MAX_PATTERN_SIZE items.

Timing a match costs more than the match itself (about 0.7 µs against 0.2): a straight pattern
(no repeat, alternative, backreference, lookaround or capturing group, such as `^web-0[0-4]`),
which tries each item at most once from each position, runs untimed on a value short enough
for it.

SQLite reports any exception of a function as "user-defined function raised exception"; the
exception itself is kept for the thread, for `failure_behind`.
"""

import math
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as sre_constants  # the parser's node types
from re import _parser as sre_parser  # what re.compile reads patterns with

import regex

# A name matches in about a microsecond; a value that takes this long is a runaway pattern.
CALL_TIME_LIMIT_MS = 20
# Items once counted repeats are written out (`\d{1,3}` is 3): beyond real filters (4,000
# names in one alternative make 16,000), far below what makes `regex` crash (600,000); it then
# compiles in 200 ms at most.
MAX_PATTERN_SIZE = 20_000
# A straight pattern runs untimed while items x characters stay under this (well under 1 ms).
UNTIMED_STEPS = 100_000
SQLITE_FAILURE = "user-defined function raised exception"

_CALL_SECONDS = CALL_TIME_LIMIT_MS / 1000
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_STRAIGHT = {
    sre_constants.LITERAL,
    sre_constants.NOT_LITERAL,
    sre_constants.ANY,
    sre_constants.IN,
    sre_constants.AT,
}


class _State(threading.local):
    deadline = math.inf  # time.monotonic()
    failure = None  # the latest exception of REGEXP


_state = _State()


class PatternError(ValueError):
    """Not a pattern REGEXP reads: bad syntax, or too large. Worded as PostgreSQL's."""

    def __init__(self, reason: str):
        super().__init__(f"invalid regular expression: {reason}")


class TooSlow(Exception):
    def __init__(self):
        super().__init__(
            f"The regular expression took too long (over {CALL_TIME_LIMIT_MS} ms on one value)"
            " and was stopped"
        )


class DeadlinePassed(Exception):
    """The time limit of the block (time_limit.py) ran out during a match."""


@dataclass(frozen=True)
class _Compiled:
    pattern: regex.Pattern
    size: int
    straight: bool


def register(sqlite_connection) -> None:
    sqlite_connection.create_function("regexp", 2, _regexp, deterministic=True)


def _regexp(pattern, value):
    if pattern is None or value is None:
        return None
    try:
        return _search(_compiled(pattern), value if isinstance(value, str) else str(value))
    except Exception as error:
        _state.failure = error
        raise


def _search(compiled: _Compiled, text: str) -> bool:
    left = _state.deadline - time.monotonic()
    if left <= 0:
        raise DeadlinePassed
    if compiled.straight and compiled.size * len(text) <= UNTIMED_STEPS:
        return compiled.pattern.search(text) is not None
    try:
        return compiled.pattern.search(text, timeout=min(_CALL_SECONDS, left)) is not None
    except TimeoutError:
        raise (DeadlinePassed if left <= _CALL_SECONDS else TooSlow)() from None


def check(pattern: str) -> None:
    """PatternError when REGEXP cannot take `pattern`."""
    _compiled(pattern)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> _Compiled:
    try:
        parsed = sre_parser.parse(pattern)
        size, straight = _size(parsed), _straight(parsed)
    except re.error as error:
        raise PatternError(str(error)) from None
    except RecursionError:
        raise PatternError("the pattern is nested too deeply") from None
    if size > MAX_PATTERN_SIZE:
        raise PatternError(
            f"the pattern is too large: over {MAX_PATTERN_SIZE} items with its repeats written out"
        )
    try:
        return _Compiled(regex.compile(pattern, regex.VERSION0), size, straight)
    except regex.error as error:
        raise PatternError(str(error)) from None


def _size(items) -> int:
    """How many items `items` (a parsed pattern) holds with its counted repeats written out;
    a set counts its members."""
    total = 0
    for kind, argument in items:
        if kind in _REPEATS:
            low, high, body = argument
            total += max(low if high is sre_constants.MAXREPEAT else high, 1) * _size(body)
        elif kind is sre_constants.IN:
            total += len(argument)
        else:
            total += 1 + sum(_size(part) for part in _parts(argument))
    return total


def _straight(items) -> bool:
    """Whether `items` match without backtracking or captures: no repeat, alternative,
    backreference, lookaround or capturing group (whose bookkeeping is slow in `regex`)."""
    return all(
        (kind in _STRAIGHT or (kind is sre_constants.SUBPATTERN and argument[0] is None))
        and all(_straight(part) for part in _parts(argument))
        for kind, argument in items
    )


def _parts(argument):
    """The parsed patterns inside an item's argument (groups, branches, lookarounds)."""
    if isinstance(argument, sre_parser.SubPattern):
        yield argument
    elif isinstance(argument, tuple | list):
        for value in argument:
            yield from _parts(value)


@contextmanager
def deadline(at: float):
    """Matches in the block stop at `at` (time.monotonic()) at the latest."""
    previous = _state.deadline
    _state.deadline, _state.failure = at, None
    try:
        yield
    finally:
        _state.deadline = previous


def failure_behind(error: Exception) -> Exception | None:
    """The exception of REGEXP that made SQLite fail with `error` (in the latest deadline
    block of this thread), if that is what happened."""
    return _state.failure if str(error) == SQLITE_FAILURE else None
