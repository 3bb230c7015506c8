"""Shared widgets only: badges, copy buttons, the line chart, icons, file dialogs, the message bar.

Widgets show what they are given; they never hold the HTTP client and never import a feature or the shell.
May import: ui.base, core.models, paths.

Import the module you need (``from ..widgets.icons import icon``): nothing is re-exported here, so the
window's start-up does not load widgets only later pages use (the line chart, the file dialogs).
"""
