"""Small reusable widgets: badges, copy buttons, the line chart, icons and file dialogs."""

from .badge import StateBadge, state_tone
from .copy_button import CopyButton
from .files import ask_open_file, ask_save_file
from .icons import icon, icon_path
from .line_chart import LineChart

__all__ = [
    "CopyButton",
    "LineChart",
    "StateBadge",
    "ask_open_file",
    "ask_save_file",
    "icon",
    "icon_path",
    "state_tone",
]
