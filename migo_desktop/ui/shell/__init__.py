"""The composition root: builds Services, controllers, pages and the main window, and runs Qt + asyncio.

app.py           run(), build_services(), Shell (owns the object graph and the quit order)
main_window.py   sidebar + stacked pages, menus, shortcuts, drops, the demo banner, the status bar
banner.py        the demo-mode banner        i18n.py  Qt's Spanish translations
error_dialog.py  the excepthook: log the details, show a Spanish dialog
geometry.py      first-start size and restored geometry that fit the screen
help.py          Ayuda: Guía de uso (the shipped guide), Acerca de (version, licences)
appearance.py    the look (Sistema / Claro / Oscuro), following the OS scheme live
bulk_badge.py    a running bulk job's progress pill beside «Masiva» in the sidebar
options.py       migo-desktop --help/--version (no Qt, no display); Qt's own options pass through
identity.py      window icon, desktop-file name, Windows AppUserModelID
interrupt.py     Ctrl+C / SIGTERM close the app cleanly      smoke.py  the --smoke-test hook
startup_errors.py  a start-up failure explained by its real cause

May import: everything in ui/ (it is the only package that knows every feature), core, demo, paths, logs.
"""
