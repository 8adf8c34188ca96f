"""The shell's loop: a prompt with history kept between sessions, completion, multi-line SQL
ended by `;`, and every line run by the same code as the commands."""

import copy
import os
import sys

import click
from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from prompt_toolkit.key_binding import KeyBindings
from rich.text import Text

from ..commands.batches import COMMANDS as ACTION_COMMANDS
from ..commands.inventory import run_and_show
from ..config import DEFAULT_PROFILE, config_dir
from ..context import App
from ..errors import BadUsage, CliError
from ..output import FORMATS
from .catalog import Catalog
from .completion import BACKSLASH, ShellCompleter
from .lines import command_args, is_complete, is_sql

HELP = """\
SQL        select ... ;      (may span lines; it runs at the `;`)
commands   show ID, actions --failed, notifications, clouds, sync CLOUD, ... (as on the
           command line; `perspective --help` lists them)
actions    reboot where name like 'web-%'        confirmed, then followed to the end
           resize m1.large where state = 'shutoff'
           rename 'old-{name}' where project_id = '...'
           reboot ID ID ...
\\tables, \\columns TABLE, \\format table|json|csv, \\help, \\quit (or Ctrl-D)
Tab completes; Up and Down go through the history (kept between sessions); Ctrl-C clears the
line, or stops following an action."""

NOT_IN_SHELL = {"shell", "login", "logout"}
ACTIONS = {command.name for command in ACTION_COMMANDS}


class Shell:
    def __init__(self, app: App, root: click.Group):
        self.app = app
        self.root = root
        self.commands = sorted(set(root.commands) - NOT_IN_SHELL)
        try:
            catalog = Catalog.load(app.api)
        except CliError as error:
            if error.exit_code in (3, 4):  # not logged in, unreachable: nothing would work
                raise
            app.out.say(f"Completion has no tables: {error.message}")
            catalog = Catalog()
        self.session = PromptSession(
            history=FileHistory(_history_file()),
            completer=ShellCompleter(catalog, [*self.commands, *BACKSLASH]),
            complete_while_typing=False,
            multiline=True,
            key_bindings=_bindings(),
            prompt_continuation=lambda width, line, wrap: "...> ".rjust(width),
        )

    @property
    def prompt(self) -> str:
        profile = self.app.api.server.profile
        return "perspective> " if profile == DEFAULT_PROFILE else f"perspective[{profile}]> "

    def run(self) -> None:
        self.app.out.say(f"Connected to {self.app.api.server.url}. \\help for help.", style="dim")
        while True:
            try:
                text = self.session.prompt(self.prompt)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            if text.strip() in ("\\q", "\\quit", "exit", "quit"):
                return
            self.execute(text)

    def execute(self, text: str) -> None:
        try:
            if text.lstrip().startswith("\\"):
                self.backslash(text.split())
            elif is_sql(text):
                run_and_show(self.app, text.strip().rstrip(";"))
            elif text.strip():
                self.command(command_args(text, ACTIONS))
        except CliError as error:
            error.show()
        except click.ClickException as error:
            error.show()
        except click.exceptions.Exit:
            pass
        except (click.Abort, KeyboardInterrupt):
            self.app.out.say("Interrupted.")

    def command(self, args: list[str]) -> None:
        if args[0] not in self.commands:
            raise BadUsage(f"Unknown command {args[0]}: SQL starts with SELECT and ends with ;")
        # A copy: an option given to one command (-o json) lasts for that command only.
        self.root.main(
            args, prog_name="perspective", standalone_mode=False, obj=copy.copy(self.app)
        )

    def backslash(self, words: list[str]) -> None:
        name, args = words[0], words[1:]
        if name in ("\\help", "\\h", "\\?"):
            self.app.out.err.print(Text(HELP))
        elif name == "\\tables":
            self.command(["tables"])
        elif name == "\\columns":
            if len(args) != 1:
                raise BadUsage("\\columns TABLE")
            self.command(["columns", args[0]])
        elif name == "\\format":
            if args and args[0] not in FORMATS:
                raise BadUsage(f"\\format {' | '.join(FORMATS)}")
            if args:
                self.app.set_output(args[0])
            self.app.out.say(f"Output: {self.app.out.format}", style="dim")
        else:
            raise BadUsage(f"Unknown command {name}: \\help lists them")


def _bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter")
    def _(event):
        buffer = event.current_buffer
        if buffer.complete_state and buffer.complete_state.current_completion:
            buffer.apply_completion(buffer.complete_state.current_completion)
        elif is_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return bindings


def _history_file() -> str:
    """The history, with the queries typed: readable by the user only."""
    path = config_dir() / "history"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return str(path)


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadUsage("The shell needs a terminal; for scripts: perspective query -f FILE")
