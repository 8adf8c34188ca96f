"""Python versions of the functions SQLite lacks (functions.py translates calls to them),
registered on every SQLite connection (apps.py), with the REGEXP that replaces Django's
(apps/inventory/regexp.py). PostgreSQL's are in schema.py; both give the same results, which
the tests check on each."""

import base64
import math
import re
import zlib
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from apps.inventory import regexp


def _strict(function):
    def wrapper(*args):
        return None if any(arg is None for arg in args) else function(*args)

    return wrapper


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _truncate(value, digits):
    return float(_decimal(value).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_DOWN))


def _conv(value, from_base, to_base):
    if not (2 <= from_base <= 36 and 2 <= to_base <= 36):
        return None
    try:
        number = int(str(value).strip(), int(from_base))
    except ValueError:
        return None
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    magnitude = abs(number)
    while True:
        magnitude, digit = divmod(magnitude, int(to_base))
        text = digits[digit] + text
        if not magnitude:
            break
    return f"-{text}" if number < 0 else text


def _base64(value):
    return base64.b64encode(str(value).encode()).decode()


def _crc32(value):
    return zlib.crc32(str(value).encode())


_SPEC = re.compile(r"%([-0]*)([0-9]*)(?:\.([0-9]+))?(.?)")


def _format(template, *values):
    if template is None:
        return None
    values = list(values)

    def piece(match):
        flags, width, precision, conversion = match.groups()
        if conversion == "%":
            return "%"
        if conversion not in ("s", "d", "f", "x"):
            raise ValueError(f'Invalid format specifier in "{template}"')
        if not values:
            raise ValueError(f'Not enough values for format "{template}"')
        text = _format_value(values.pop(0), conversion, precision)
        return _pad(text, flags, int(width or 0), conversion)

    return _SPEC.sub(piece, template)


def _format_value(value, conversion, precision):
    if conversion == "s":
        text = "null" if value is None else str(value)
        return text[: int(precision)] if precision else text
    number = _decimal(value)
    if conversion == "d":
        return str(int(number))
    if conversion == "x":
        return format(int(number) & 0xFFFFFFFFFFFFFFFF, "x")
    return str(number.quantize(Decimal(1).scaleb(-int(precision or 6)), rounding=ROUND_HALF_UP))


def _pad(text, flags, width, conversion):
    if "-" in flags:
        return text.ljust(width)
    if "0" in flags and conversion != "s":
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return sign + digits.rjust(width - len(sign), "0")
    return text.rjust(width)


def _lower(value):
    # Letter by letter, as PostgreSQL maps case: "İ" becomes "i", not "i" and a combining dot.
    return "".join(letter.lower()[0] for letter in str(value))


def _upper(value):
    # Letter by letter, as PostgreSQL maps case: "ß" stays, not "SS".
    return "".join(_one(letter.upper(), letter) for letter in str(value))


def _one(mapped: str, letter: str) -> str:
    return mapped if len(mapped) == 1 else letter


SQLITE_FUNCTIONS = {
    "query_lower": (1, _strict(_lower)),
    "query_upper": (1, _strict(_upper)),
    "query_cbrt": (1, _strict(math.cbrt)),
    "query_truncate": (2, _strict(_truncate)),
    "query_conv": (3, _strict(_conv)),
    "query_base64": (1, _strict(_base64)),
    "query_crc32": (1, _strict(_crc32)),
    "query_format": (-1, _format),
}


def register_sqlite_functions(sqlite_connection) -> None:
    for name, (arguments, function) in SQLITE_FUNCTIONS.items():
        sqlite_connection.create_function(name, arguments, function, deterministic=True)
    regexp.register(sqlite_connection)
