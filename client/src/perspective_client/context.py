"""What every command shares: the chosen profile and output format (options that every command
and the group itself take), the API client and the output, made when first needed."""

from functools import cached_property

import click

from .api import Api
from .config import Server, server_for
from .output import FORMATS, Output


class App:
    def __init__(self):
        self.profile: str | None = None
        self.output: str | None = None  # None: table on a terminal, JSON when piped
        self.timeout = 30.0
        self.server: Server | None = None  # set once; the shell keeps its own

    @cached_property
    def out(self) -> Output:
        return Output(self.output)

    @cached_property
    def api(self) -> Api:
        server = self.server or server_for(self.profile)
        return Api(server, say=self.out.say, timeout=self.timeout)

    def set_output(self, output: str | None) -> None:
        self.output = output
        self.__dict__.pop("out", None)


pass_app = click.make_pass_decorator(App, ensure=True)


def _store(ctx: click.Context, param: click.Parameter, value):
    if value is not None:
        app = ctx.ensure_object(App)
        if param.name == "output":
            app.set_output(value)
        else:
            setattr(app, param.name, value)
    return value


def common_options(command):
    """--profile, --output and --timeout, on the group and on every command alike."""
    options = [
        click.option(
            "--profile",
            envvar="PERSPECTIVE_PROFILE",
            expose_value=False,
            callback=_store,
            help="The server and token stored under this name by `perspective login`.",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Choice(FORMATS),
            expose_value=False,
            callback=_store,
            help="Table on a terminal, JSON when piped, unless given.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            expose_value=False,
            callback=_store,
            help="Seconds to wait for each answer of the server (default 30).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command
