"""Every background task has an owner that can cancel it (qasync does not keep slot tasks alive).

``TaskOwner.spawn(coro, key=...)`` starts a task on the app's loop, keeps a strong reference until it ends,
and cancels the previous task with the same key (a new single lookup cancels the one in flight). Unexpected
exceptions go to ``sys.excepthook`` (which logs and shows a Spanish dialog); cancellation is silent.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

__all__ = ["TaskOwner", "current_loop"]

log = logging.getLogger(__name__)


def current_loop() -> asyncio.AbstractEventLoop:
    """The running loop, or the one set for this thread (qasync's, in the app and in tests)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


class TaskOwner:
    def __init__(self, name: str) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[Any]] = set()
        self._keyed: dict[str, asyncio.Task[Any]] = {}

    def spawn(self, coro: Coroutine[Any, Any, Any], *, key: str | None = None) -> asyncio.Task[Any]:
        if key is not None:
            self.cancel(key)
        task = current_loop().create_task(coro, name=f"{self.name}:{key or 'task'}")
        self._tasks.add(task)
        if key is not None:
            self._keyed[key] = task
        task.add_done_callback(self._done)
        return task

    def current(self, key: str) -> asyncio.Task[Any] | None:
        task = self._keyed.get(key)
        return task if task is not None and not task.done() else None

    def cancel(self, key: str) -> bool:
        task = self._keyed.pop(key, None)
        if task is not None and not task.done():
            task.cancel()
            return True
        return False

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._keyed.clear()

    @property
    def running(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._tasks if not t.done()]

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        for key, held in list(self._keyed.items()):
            if held is task:
                del self._keyed[key]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            sys.excepthook(type(exc), exc, exc.__traceback__)
