"""Controllers decide; views lay out. Each controller owns its tasks and reports through Qt signals."""

from .client import SharedClient
from .exchange import ExchangeController
from .lookup import LookupController
from .preferences import PreferencesController
from .tasks import TaskOwner

__all__ = ["ExchangeController", "LookupController", "PreferencesController", "SharedClient", "TaskOwner"]
