"""The `perspective` command: its group, global options and every command."""

import click

from . import __version__
from .commands import account, activity, batches, clouds, inventory
from .context import common_options
from .shell.command import shell


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="perspective")
@common_options
def cli():
    """The command-line client of Perspective: SQL over the inventory of OpenStack clouds,
    batch actions with live progress, and an interactive shell.

    Log in once with `perspective login URL` (or set PERSPECTIVE_URL and PERSPECTIVE_TOKEN).
    Results are tables on a terminal and JSON when piped (--output changes it). Exit codes:
    0 success, 1 some items failed (or the request did), 2 bad usage, 3 not logged in or not
    permitted, 4 server unreachable.

    \b
    Examples:
      perspective query "select name, state from instances where state = 'error'"
      perspective reboot --where "name like 'web-%'" --follow
      perspective shell
    """


for module in (account, inventory, batches, activity, clouds):
    for command in module.COMMANDS:
        cli.add_command(command)
cli.add_command(shell)


def main() -> None:
    cli(prog_name="perspective")
