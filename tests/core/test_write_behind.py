"""WriteBehind: a batch is committed when it reaches the limit (the crash-loss bound) or after its delay."""

from __future__ import annotations

import asyncio

import pytest

from migo_desktop.core.models import IdKind, LookupResult, LookupStatus
from migo_desktop.core.write_behind import Verdict, WriteBehind


class FakeStore:
    def __init__(self) -> None:
        self.commits: list[list[int]] = []
        self.marked: list[int] = []

    def record_answers(self, job_id: int, answers: list[tuple[int, LookupResult]]) -> None:
        self.commits.append([idx for idx, _ in answers])

    def mark_row(self, job_id: int, idx: int, status: LookupStatus, reason: str, *, error: str = "") -> None:
        self.marked.append(idx)


def answer(i: int) -> LookupResult:
    return LookupResult(IdKind.RUC, f"2010000000{i}", LookupStatus.NOT_FOUND)


def make(store: FakeStore, flushed: list[list[object]], **kw: float) -> WriteBehind:
    return WriteBehind(store, 1, on_flushed=flushed.append, on_failure=pytest.fail, **kw)  # type: ignore[arg-type]


def test_a_full_batch_is_committed_at_once_and_never_grows_past_the_limit() -> None:
    async def scenario() -> tuple[FakeStore, WriteBehind]:
        store, flushed = FakeStore(), []
        wb = make(store, flushed, limit=3, delay=60.0)
        for i in range(7):
            wb.answer(i, answer(i))
        assert store.commits == [[0, 1, 2], [3, 4, 5]]  # no waiting for the delay once full
        assert len(wb) == 1
        wb.flush()
        return store, wb

    store, wb = asyncio.run(scenario())
    assert store.commits[-1] == [6] and wb.largest == 3 and wb.batches == 3


def test_a_partial_batch_waits_for_its_delay_then_commits_alone() -> None:
    async def scenario() -> tuple[list[list[int]], list[list[int]]]:
        store, flushed = FakeStore(), []
        wb = make(store, flushed, limit=20, delay=0.01)
        wb.answer(0, answer(0))
        wb.verdict(Verdict(1, LookupStatus.ERROR, "HTTP 500"))
        await asyncio.sleep(0)
        before = list(store.commits)
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        loop.call_later(0.05, done.set_result, None)  # after the batch's own timer
        await done
        return before, store.commits

    before, after = asyncio.run(scenario())
    assert before == []  # not on the next loop turn: answers that arrive meanwhile join the batch
    assert after == [[0]]


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        make(FakeStore(), [], limit=0)
