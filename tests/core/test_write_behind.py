"""WriteBehind: batches go to a writer thread (never the loop's), in order, and never more than ``limit``
answers are off disk at once — the crash-loss bound behind "a kill -9 pays at most N + C"."""

from __future__ import annotations

import asyncio
import threading

import pytest

from migo_desktop.core.models import IdKind, LookupResult, LookupStatus
from migo_desktop.core.write_behind import Verdict, WriteBehind


class FakeStore:
    """Records each commit and the thread it ran on; ``slow`` commits wait until a helper thread releases
    them, so the loop gets ahead of the writer the way it does with a slow disk."""

    def __init__(self, *, slow: bool = False, fail: bool = False) -> None:
        self.commits: list[list[int]] = []
        self.marked: list[int] = []
        self.threads: set[int] = set()
        self.fail = fail
        self._slow = slow
        self._entered = threading.Semaphore(0)
        self._release = threading.Semaphore(0)
        if slow:
            threading.Thread(target=self._releaser, daemon=True).start()

    def _releaser(self) -> None:
        while True:
            self._entered.acquire()  # a commit started: let it finish (after the loop moved on)
            self._release.release()

    def record_answers(self, job_id: int, answers: list[tuple[int, LookupResult]]) -> None:
        self.threads.add(threading.get_ident())
        if self.fail:
            raise OSError("disco lleno")
        if self._slow:
            self._entered.release()
            self._release.acquire()
        self.commits.append([idx for idx, _ in answers])

    def mark_row(self, job_id: int, idx: int, status: LookupStatus, reason: str, *, error: str = "") -> None:
        self.marked.append(idx)


def answer(i: int) -> LookupResult:
    return LookupResult(IdKind.RUC, f"2010000{i:04d}", LookupStatus.NOT_FOUND)


def make(store: FakeStore, flushed: list[int], failures: list[BaseException], **kw: float) -> WriteBehind:
    def on_flushed(batch: list[object]) -> None:
        assert threading.current_thread() is threading.main_thread()  # reported on the loop
        flushed.extend(e.idx if isinstance(e, Verdict) else e[0] for e in batch)  # type: ignore[union-attr,index]

    return WriteBehind(store, 1, on_flushed=on_flushed, on_failure=failures.append, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("limit", [1, 2, 6])
def test_never_more_than_the_limit_off_disk_and_everything_committed_in_order(limit: int) -> None:
    store, flushed, failures = FakeStore(slow=True), [], []

    async def scenario() -> WriteBehind:
        wb = make(store, flushed, failures, limit=limit)
        for i in range(40):
            wb.answer(i, answer(i))
            assert len(wb) <= limit
        await wb.drain()
        return wb

    wb = asyncio.run(scenario())
    assert [i for batch in store.commits for i in batch] == list(range(40)) == flushed
    assert 1 <= wb.largest <= limit and not failures
    assert len(store.commits) < 40 or limit <= 2  # answers that came during a commit went together
    assert threading.get_ident() not in store.threads  # SQLite never ran on the loop's thread


def test_an_answer_goes_to_the_writer_at_once_and_is_reported_after_its_commit() -> None:
    store, flushed, failures = FakeStore(), [], []

    async def scenario() -> tuple[list[list[int]], list[int]]:
        wb = make(store, flushed, failures, limit=20)
        wb.answer(0, answer(0))
        wb.verdict(Verdict(1, LookupStatus.ERROR, "HTTP 500"))
        while len(flushed) < 2:  # the writer commits, the loop hears of it
            await asyncio.sleep(0.005)
        await wb.drain()
        return list(store.commits), flushed

    commits, after = asyncio.run(scenario())
    assert after == [0, 1]
    assert commits[0] == [0] and store.marked == [1]  # no waiting for a batch to fill


def test_a_failed_commit_is_reported_once_and_nothing_more_is_written() -> None:
    store, flushed, failures = FakeStore(fail=True), [], []

    async def scenario() -> None:
        wb = make(store, flushed, failures, limit=2)
        for i in range(6):
            wb.answer(i, answer(i))
        await wb.drain()

    asyncio.run(scenario())
    assert len(failures) == 1 and isinstance(failures[0], OSError)
    assert flushed == [] and store.commits == []


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        make(FakeStore(), [], [], limit=0)
