"""Preferencias: the token (OS keyring), API and engine knobs, the cache.

dialog.py  PreferencesDialog (window-modal, non-blocking)
controller.py  PreferencesController (tests the token, saves knobs and token, clears the cache)
token_storage.py  TokenStorageNotice (no keyring: says so, offers a session-only token)

May import: ui.base, ui.widgets, core, credentials, logs.
"""
