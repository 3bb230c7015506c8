"""Logging: one rotating file in the log folder; registered secrets and token fields are masked."""

from __future__ import annotations

import logging

import pytest

from migo_desktop.logs import RedactingFilter, redact, register_secret, setup_logging

SECRET = "sk-live-4c9e1b7a"


@pytest.fixture
def log_file(tmp_path):
    path = setup_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_migo", False):
            root.removeHandler(handler)
            handler.close()


def _flush():
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_logs_go_to_the_file(log_file):
    logging.getLogger("migo_desktop.test").info("hola %s", "mundo")
    _flush()
    assert log_file.name == "migo-desktop.log" and log_file.parent.name == "logs"
    assert "hola mundo" in log_file.read_text(encoding="utf-8")


def test_registered_token_is_masked_in_messages_and_args(log_file):
    register_secret(SECRET)
    log = logging.getLogger("migo_desktop.test")
    log.warning("token was %s", SECRET)
    log.warning(f"inline {SECRET} here")
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert SECRET not in text and text.count("***") >= 2


def test_token_fields_are_masked_even_unregistered(log_file):
    log = logging.getLogger("migo_desktop.test")
    log.info('body {"token": "unregistered-abc123", "ruc": "20131312955"}')
    log.info("headers Authorization: Bearer bearer-xyz789")
    log.info("query token=qs-secret-555&x=1")
    _flush()
    text = log_file.read_text(encoding="utf-8")
    for secret in ("unregistered-abc123", "bearer-xyz789", "qs-secret-555"):
        assert secret not in text
    assert "20131312955" in text  # the rest of the line survives


def test_tracebacks_are_masked(log_file):
    register_secret(SECRET)
    try:
        raise RuntimeError(f'boom with {SECRET} and {{"token": "tb-token-777"}}')
    except RuntimeError:
        logging.getLogger("migo_desktop.test").exception("failed")
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert SECRET not in text and "tb-token-777" not in text


def test_redact_and_filter_directly():
    register_secret(SECRET)
    register_secret("abc")  # too short to be a token: ignored, so "abc" stays readable
    assert redact(f"x {SECRET} y abc") == "x *** y abc"
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "t=%s", (SECRET,), None)
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "t=***"


def test_setup_twice_does_not_duplicate_handlers(tmp_path, log_file):
    setup_logging(tmp_path / "logs")
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_migo", False)]
    assert len(ours) == 1
