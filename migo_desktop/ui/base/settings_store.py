"""Preferences on disk: a QSettings ini at ``paths.settings_file`` (never the token: that is the keyring).

Stores the user's API knobs (version, concurrency, rate cap, timeouts, cache freshness), the window geometry,
the current page and the last folders used by file dialogs. Values in an ini file come back as strings, so
every getter converts and falls back to the default on garbage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from ...core.settings import ApiSettings

__all__ = ["API_KEYS", "Preferences"]

# ApiSettings fields the user can change in Preferencias, with their converters.
API_KEYS: dict[str, type] = {
    "api_version": str,
    "concurrency": int,
    "requests_per_minute": int,
    "connect_timeout": float,
    "read_timeout": float,
    "cache_ttl_found": int,
    "cache_ttl_not_found": int,
}


class Preferences:
    """A thin typed wrapper over ``QSettings(path, IniFormat)``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    # generic -------------------------------------------------------------------------------------------
    def value(self, key: str, default: Any = None) -> Any:
        return self._qs.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)

    def get_int(self, key: str, default: int) -> int:
        try:
            return int(str(self._qs.value(key, default)))
        except (TypeError, ValueError):
            return default

    def get_bool(self, key: str, default: bool = False) -> bool:
        raw = self._qs.value(key, default)
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes")

    def sync(self) -> None:
        self._qs.sync()

    # API settings --------------------------------------------------------------------------------------
    def api_overrides(self) -> dict[str, Any]:
        """The stored API knobs, converted; unknown or broken values are skipped (defaults apply)."""
        out: dict[str, Any] = {}
        for key, conv in API_KEYS.items():
            raw = self._qs.value(f"api/{key}")
            if raw is None or raw == "":
                continue
            try:
                value = conv(str(raw))
            except ValueError:
                continue
            if key == "requests_per_minute":
                value = value or None  # 0 = sin límite
            out[key] = value
        return out

    def apply_to(self, settings: ApiSettings) -> ApiSettings:
        """``settings`` with the stored knobs on top (invalid combinations keep ``settings``)."""
        try:
            return settings.with_(**self.api_overrides())
        except Exception:  # noqa: BLE001 - a hand-edited ini must never stop the app
            return settings

    def save_api(self, settings: ApiSettings) -> None:
        for key in API_KEYS:
            value = getattr(settings, key)
            if key == "requests_per_minute":
                value = value or 0
            self._qs.setValue(f"api/{key}", value)
        self._qs.sync()

    # window --------------------------------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        raw = self._qs.value("window/geometry")
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def set_window_geometry(self, geometry: QByteArray) -> None:
        self._qs.setValue("window/geometry", geometry)

    def window_state(self) -> QByteArray | None:
        raw = self._qs.value("window/state")
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def set_window_state(self, state: QByteArray) -> None:
        self._qs.setValue("window/state", state)

    def current_page(self, default: str = "consulta") -> str:
        return str(self._qs.value("window/page", default) or default)

    def set_current_page(self, key: str) -> None:
        self._qs.setValue("window/page", key)

    # appearance ----------------------------------------------------------------------------------------
    def appearance(self) -> str:
        """'sistema' (follow the OS), 'claro' or 'oscuro'."""
        raw = str(self._qs.value("window/appearance", "sistema") or "sistema")
        return raw if raw in ("sistema", "claro", "oscuro") else "sistema"

    def set_appearance(self, choice: str) -> None:
        self._qs.setValue(
            "window/appearance", choice if choice in ("sistema", "claro", "oscuro") else "sistema"
        )

    # folders -------------------------------------------------------------------------------------------
    def last_folder(self, kind: str = "import") -> str:
        """The last folder used for ``kind`` ('import', 'export'…), or the home folder."""
        raw = self._qs.value(f"folders/{kind}")
        if raw and Path(str(raw)).is_dir():
            return str(raw)
        return str(Path.home())

    def set_last_folder(self, kind: str, path: str | Path) -> None:
        p = Path(path)
        self._qs.setValue(f"folders/{kind}", str(p if p.is_dir() else p.parent))
