"""Preferencias: the token (OS keyring), API and engine knobs, the cache.

dialog.py  PreferencesDialog (window-modal, non-blocking)
controller.py  PreferencesController (tests the token, saves knobs and token, clears the cache)

May import: ui.base, ui.widgets, core, credentials, logs.
"""
