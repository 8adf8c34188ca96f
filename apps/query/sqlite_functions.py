"""Python versions of the functions SQLite lacks (functions.py translates calls to them),
registered on every SQLite connection (apps.py), with the REGEXP that replaces Django's
(apps/inventory/regexp.py). PostgreSQL's are in schema.py; both give the same results, which
the tests check on each."""

import base64
import math
import re
import zlib
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

from apps.inventory import regexp

from . import bounds
from .bounds import MAX_DIGITS, MAX_FORMAT_LENGTH, MAX_WIDTH, refuse


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
    text = str(value).strip()
    if len(text.removeprefix("-").removeprefix("+")) > MAX_DIGITS:
        raise refuse(bounds.too_many_digits("conv"))
    try:
        number = int(text, int(from_base))
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
# Enough digits for any number FORMAT takes, at any precision it takes.
_FORMAT_CONTEXT = Context(prec=MAX_DIGITS + MAX_WIDTH + 1)


def _format(template, *values):
    if template is None:
        return None
    template = str(template)
    if len(template) > MAX_FORMAT_LENGTH:
        raise refuse(bounds.too_long("format"))
    values = list(values)
    written = 0

    def piece(match):
        nonlocal written
        flags, width, precision, conversion = match.groups()
        if conversion == "%":
            return "%"
        if conversion not in ("s", "d", "f", "x"):
            raise ValueError(f'Invalid format specifier in "{template}"')
        if not values:
            raise ValueError(f'Not enough values for format "{template}"')
        width, precision = _bounded(width), _bounded(precision)
        text = _format_value(values.pop(0), conversion, precision)
        written += max(len(text), width or 0)
        if written > MAX_FORMAT_LENGTH:
            raise refuse(bounds.too_long("format"))
        return _pad(text, flags, width or 0, conversion)

    return _SPEC.sub(piece, template)


def _bounded(digits: str | None) -> int | None:
    """A width or precision as a number, refused beyond MAX_WIDTH before it is read."""
    if not digits:
        return None
    if len(digits.lstrip("0")) > len(str(MAX_WIDTH)) or int(digits) > MAX_WIDTH:
        raise refuse(bounds.too_wide("format"))
    return int(digits)


def _format_value(value, conversion, precision):
    if conversion == "s":
        text = "null" if value is None else str(value)
        return text if precision is None else text[:precision]
    number = _decimal(value)
    if number.is_finite() and number.adjusted() >= MAX_DIGITS:
        raise refuse(bounds.too_many_digits("format"))
    if conversion == "d":
        return str(int(number))
    if conversion == "x":
        return format(int(number) & 0xFFFFFFFFFFFFFFFF, "x")
    places = Decimal(1).scaleb(-(6 if precision is None else precision))
    return str(number.quantize(places, rounding=ROUND_HALF_UP, context=_FORMAT_CONTEXT))


def _pad(text, flags, width, conversion):
    if "-" in flags:
        return text.ljust(width)
    if "0" in flags and conversion != "s":
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return sign + digits.rjust(width - len(sign), "0")
    return text.rjust(width)


def _lower(value):
    text = str(value)
    if text.isascii():  # in one call: letter by letter, 8 MB would hold SQLite for a second
        return text.lower()
    # Letter by letter, as PostgreSQL maps case: "İ" becomes "i", not "i" and a combining dot.
    return "".join(letter.lower()[0] for letter in text)


def _upper(value):
    text = str(value)
    if text.isascii():
        return text.upper()
    # Letter by letter, as PostgreSQL maps case: "ß" stays, not "SS".
    return "".join(_one(letter.upper(), letter) for letter in text)


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
