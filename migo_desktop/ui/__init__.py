"""The Qt face of the app: no business logic here (that is core/ and excel/).

base/         what every feature builds on: Services/AppEvents, preferences, task owners, the shared client,
              theme, status names and colours, number formatting
widgets/      shared widgets only (badge, copy button, charts, file dialogs, icons, message bar)
lookup/ bulk/ exchange/ history/ preferences/   one package per feature: its page, controller, dialogs, models
shell/        the composition root (app), main window, banner, translations, error dialog

Imports flow one way: base ← widgets ← features ← shell. Features never import each other; they talk through
``Services``/``AppEvents`` and the shell. tests/test_architecture.py enforces this.
"""
