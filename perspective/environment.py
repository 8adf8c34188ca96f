"""The environment variables Perspective reads, each declared once with its default and meaning.

settings.py reads every variable through an Environment: the call that reads a variable also
declares it, so the configuration page of the docs (made from `settings.ENVIRONMENT`) lists every
variable with the default the code uses. Variables other programs read (gunicorn's configuration,
`make run`) are declared there too, with `declare`.
"""

from dataclasses import dataclass

import environ


@dataclass(frozen=True)
class Variable:
    name: str
    default: object  # the value when unset
    meaning: str
    described: str | None = None  # the default in words, where its value would not say it

    @property
    def shown(self) -> str:
        return self.described or _show(self.default)


class Environment:
    """django-environ's readers, each also declaring the variable it reads."""

    def __init__(self):
        self._env = environ.Env()
        self.variables: dict[str, Variable] = {}

    def declare(self, name: str, default, meaning: str, shown: str | None = None) -> None:
        self.variables[name] = Variable(name, default, meaning, shown)

    def str(self, name, default, meaning, shown=None) -> str:
        self.declare(name, default, meaning, shown)
        return self._env.str(name, default=default)

    def bool(self, name, default, meaning, shown=None) -> bool:
        self.declare(name, default, meaning, shown)
        return self._env.bool(name, default=default)

    def int(self, name, default, meaning, shown=None) -> int:
        self.declare(name, default, meaning, shown)
        return self._env.int(name, default=default)

    def float(self, name, default, meaning, shown=None) -> float:
        self.declare(name, default, meaning, shown)
        return self._env.float(name, default=default)

    def list(self, name, default, meaning, shown=None) -> list:
        self.declare(name, default, meaning, shown)
        return self._env.list(name, default=default)

    def db(self, name, default, meaning, shown=None) -> dict:
        self.declare(name, default, meaning, shown)
        return self._env.db(name, default=default)

    def cache(self, name, default, meaning, shown=None) -> dict:
        self.declare(name, default, meaning, shown)
        return self._env.cache(name, default=default)


def _show(default) -> str:
    if default in ("", [], None):
        return "none"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, list):
        return ",".join(default)
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)
