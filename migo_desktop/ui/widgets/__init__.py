"""Shared widgets only: badges, copy buttons, the line chart, icons, file dialogs, the message bar.

Widgets show what they are given; they never hold the HTTP client and never import a feature or the shell.
May import: ui.base, core.models, paths.
"""

from .badge import StateBadge, state_tone
from .copy_button import CopyButton
from .files import ask_open_file, ask_save_file
from .icons import icon, icon_path
from .line_chart import LineChart
from .message_bar import MessageBar

__all__ = [
    "CopyButton",
    "LineChart",
    "MessageBar",
    "StateBadge",
    "ask_open_file",
    "ask_save_file",
    "icon",
    "icon_path",
    "state_tone",
]
