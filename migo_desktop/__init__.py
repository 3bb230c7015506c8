"""Migo Desktop: consulta masiva de RUC/DNI con la API de Migo."""

__version__ = "0.1.0"
APP_NAME = "Migo Desktop"
APP_SLUG = "migo-desktop"
# Reverse-DNS id: desktop file and AppStream id (Linux), bundle id (macOS), AppUserModelID (Windows taskbar).
APP_ID = "pe.migo.MigoDesktop"

__all__ = ["APP_ID", "APP_NAME", "APP_SLUG", "__version__"]
