"""Errors shown as one line (and, for SQL, the line at fault with a caret), each with the exit
code a script can rely on."""

from enum import IntEnum

import click
from rich.console import Console
from rich.text import Text


class Exit(IntEnum):
    OK = 0
    FAILED = 1  # some items failed, or the server refused or could not do what was asked
    USAGE = 2  # bad usage: options, arguments, input the server calls malformed
    AUTH = 3  # not logged in, a token refused, not permitted
    UNREACHABLE = 4  # no answer from the server


class CliError(click.ClickException):
    exit_code = Exit.FAILED

    def __init__(self, message: str, details: tuple[str, ...] = ()):
        super().__init__(message)
        self.details = details

    def show(self, file=None) -> None:
        console = Console(stderr=True, highlight=False, soft_wrap=True)
        console.print(Text("Error: ", style="bold red") + Text(self.message))
        for line in self.details:
            console.print(Text(f"  {line}"))


class Failed(CliError):
    exit_code = Exit.FAILED


class NotFound(Failed):
    pass


class BadUsage(CliError):
    exit_code = Exit.USAGE


class AuthFailed(CliError):
    exit_code = Exit.AUTH


class Unreachable(CliError):
    exit_code = Exit.UNREACHABLE
