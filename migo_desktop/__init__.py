"""Migo Desktop: consulta masiva de RUC/DNI con la API de Migo."""

__version__ = "0.1.0"
APP_NAME = "Migo Desktop"
APP_SLUG = "migo-desktop"

__all__ = ["APP_NAME", "APP_SLUG", "__version__"]
