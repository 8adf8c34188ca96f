"""`perspective shell`."""

import click

from ..context import App, common_options, pass_app


@click.command()
@common_options
@pass_app
def shell(app: App):
    """An interactive prompt: SQL ending with `;` (over several lines if you like), the
    commands, and actions typed as `reboot where name like 'web-%'`. History is kept between
    sessions; Tab completes keywords, tables, columns and commands; \\help says the rest.

    \b
    Example:
      perspective shell
    """
    # Imported here: prompt_toolkit takes a tenth of a second to import, and only the shell
    # needs it.
    from .session import Shell, require_terminal

    require_terminal()
    if app.output is None:
        app.set_output("table")
    Shell(app, click.get_current_context().find_root().command).run()
