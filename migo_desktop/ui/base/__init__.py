"""What every UI feature builds on; holds no page and imports no feature, widget or shell module.

services.py        Services (the collaborators each page receives) and AppEvents (signals across pages)
settings_store.py  Preferences: the QSettings-backed knobs (never the token)
tasks.py           TaskOwner: every background task has an owner that can cancel it
client.py          SharedClient: the MigoClient single lookups share, rebuilt when settings change
theme.py           light/dark looks: palette, stylesheet, named colours   status.py  status names and colours
style.py           AppStyle: Fusion with our SVG message icons and no bitmap icons on dialog buttons
numbers.py         numbers as pages show them            running_jobs.py  bulk jobs running in this process
event_loop.py      AppEventLoop: qasync's loop, with cancelled timers killed at once
gc_pause.py        no cyclic GC while a worker thread allocates (it would free Qt objects off the GUI thread)

May import: core, paths, logs, credentials, Qt.
"""
