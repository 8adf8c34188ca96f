"""What bounds the work of one /query function call, before it runs: the functions whose cost
grows with their input (CONV, FORMAT) refuse inputs beyond these sizes, on SQLite (Python,
sqlite_functions.py) and PostgreSQL (SQL, schema.py) alike, with the same message. SQLite
cannot interrupt a Python function, so each call must stay short on its own; every other value
is bounded by SQLite's length limit (execute.py), and on PostgreSQL by the byte budget.

SQLite reports any exception of a function as "user-defined function raised exception": a
refusal is kept for the thread, for `refusal_behind`, as regexp.py keeps its failures.
"""

import threading

# Digits of a number CONV converts, or FORMAT writes with %d, %x or %f (MySQL's CONV works on
# 64 bits): Python's and PostgreSQL's conversions are quadratic in them.
MAX_DIGITS = 1000
# Width and precision of one FORMAT specifier (as in %08.2f).
MAX_WIDTH = 10_000
# Characters of FORMAT's template and of its result.
MAX_FORMAT_LENGTH = 1_000_000
SQLITE_FAILURE = "user-defined function raised exception"


class Refused(ValueError):
    """A call refused for the size of its input or output; the message is for the user."""


class _State(threading.local):
    refusal: Refused | None = None


_state = _State()


def refuse(message: str) -> Refused:
    _state.refusal = Refused(message)
    return _state.refusal


def too_many_digits(function: str) -> str:
    return f"Function '{function}' takes numbers of at most {MAX_DIGITS} digits"


def too_wide(function: str) -> str:
    return f"Function '{function}' takes widths and precisions of at most {MAX_WIDTH}"


def too_long(function: str) -> str:
    return f"Function '{function}' makes strings of at most {MAX_FORMAT_LENGTH} characters"


def forget() -> None:
    """Called before each statement, so that no refusal of an earlier one is blamed."""
    _state.refusal = None


def refusal_behind(error: Exception) -> Refused | None:
    """The refusal that made SQLite fail with `error`, if that is what happened."""
    return _state.refusal if str(error) == SQLITE_FAILURE else None
