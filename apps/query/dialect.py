"""The SQL dialect of POST /query: MySQL's, as the original spoke it, with the original's
functions parsed as plain calls (translated by functions.py) rather than as MySQL's own."""

from sqlglot.dialects.dialect import Dialect
from sqlglot.dialects.mysql import MySQL
from sqlglot.tokens import TokenType

from .functions import FUNCTIONS, META_FUNCTIONS

_OWN = set(FUNCTIONS) | set(META_FUNCTIONS)


class Perspective(MySQL):
    class Tokenizer(MySQL.Tokenizer):
        # The original's metadata tables have a column named key.
        KEYWORDS = {k: v for k, v in MySQL.Tokenizer.KEYWORDS.items() if k != "KEY"}

    class Parser(MySQL.Parser):
        FUNCTIONS = {k: v for k, v in MySQL.Parser.FUNCTIONS.items() if k not in _OWN}
        FUNCTION_PARSERS = {k: v for k, v in MySQL.Parser.FUNCTION_PARSERS.items() if k not in _OWN}
        # Names that are also keywords, callable as functions: JOIN(',', a, b), MOD(a, b)...
        FUNC_TOKENS = MySQL.Parser.FUNC_TOKENS | {
            TokenType.CHAR,
            TokenType.FORMAT,
            TokenType.JOIN,
            TokenType.MOD,
            TokenType.REPLACE,
            TokenType.TRUNCATE,
        }


# sqlglot's names of the backends Django may run on.
BACKENDS = {"sqlite": "sqlite", "postgresql": "postgres"}


class _Verbatim:
    """Parses function calls as plain calls, so that they are generated as written."""

    class Parser:
        FUNCTIONS: dict = {}


def _templates(base):
    parser = type("Parser", (_Verbatim.Parser, base.Parser), {})
    return type(f"{base.__name__}Templates", (base,), {"Parser": parser})


# Dialects to read functions.py's templates in, for each Django vendor.
TEMPLATES = {
    "sqlite": _templates(Dialect.get_or_raise("sqlite").__class__),
    "postgresql": _templates(Dialect.get_or_raise("postgres").__class__),
}
