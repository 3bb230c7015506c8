"""Global admission for a bulk run: a hold when the service says stop, pacing by Laravel's headers, and
request starts spread evenly over the round trip.

The real API throttles like Laravel: a fixed window of ``X-RateLimit-Limit`` requests that starts at the
first request after the previous one expired, ``X-RateLimit-Remaining`` on every answer, and past it a 429
«Too Many Attempts.» with ``Retry-After``. The window's length is not in any header, so it is learnt:

- a new window shows as an answer with ``Remaining == Limit - 1``; its request's send time is the window's
  start, and the gap between two such starts is an upper bound on the window's length (the tighter the
  busier the run); a 429's ``now + Retry-After`` bounds it too;
- once the length ``W`` is known, request starts are spaced ``W / (0.98 · Limit)`` apart, so a window never
  holds more than its limit and the 429s stop; before that, requests flow freely while the budget
  (``Remaining`` minus what was sent since) lasts, and one probe finds the window's end when it is spent.

``hold(seconds)`` stops every new request until then (a spent window, or most recent answers being 429s);
a lone 429 does not call it: its row is re-queued for after ``Retry-After`` and the rest keep flowing.

**Spread.** Answers that arrive together are handled one after another on the loop, so the requests that
follow them leave one after another, close together, come back together, and so on: the C requests in
flight gather into a few clumps, and every clump makes its members wait for each other's handling on every
round trip. Measured (``bench/engine.py``, 5,000 RUC, C = 20, 50 ms): raw aiohttp takes 1.10-1.15× the ideal
that way and 1.065-1.08× with its starts spread. So starts are kept ``SPREAD × round trip ÷ concurrency``
apart (the round trip: the median of the last successful answers' send-to-answer times). That is under the
natural gap between starts whatever the concurrency really is (C requests each taking at least a round trip
cannot start more often), so it never slows a run down; it only evens out the clumps. Failed requests (5xx,
timeouts, resets, 429s) say nothing about the round trip and are left out.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Pacer"]

_FILL = 0.98  # share of a window's limit that pacing aims for
_RECENT = 8  # answers remembered to tell "most recent answers are 429s"
SPREAD = 0.9  # starts at least this share of (round trip ÷ concurrency) apart
_TRIPS = 32  # successful round trips the spread's median is taken over
_TRIPS_EVERY = 8  # answers between two recomputations of that median
_MIN_WAIT = 0.0005  # a turn closer than this is not slept for (a timer would overshoot it)


class Pacer:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic, concurrency: int = 1) -> None:
        self._clock = clock
        self._concurrency = max(1, concurrency)
        self.spacing = 0.0  # seconds kept between two request starts (0 until round trips are known)
        self._trips: deque[float] = deque(maxlen=_TRIPS)
        self._trips_new = 0
        self._turn = 0.0  # when the next request's start turn comes
        self.hold_until = 0.0
        self.holds = 0  # global holds so far (a spent window)
        self.limit: int | None = None  # X-RateLimit-Limit, once seen
        self.window: float | None = None  # learnt upper bound on the window's length (s)
        self._window_start: float | None = None
        self._renewal = 0.0  # when the current window is believed to end
        self._ref_sent = -1.0  # send time of the latest-sent request whose answer carried Remaining
        self._ref_remaining = 0
        self._sends: deque[float] = deque()  # send times, for "sent since"
        self._next_start = 0.0
        self._recent: deque[bool] = deque(maxlen=_RECENT)  # True = that answer was a 429
        self._probe: float | None = None  # send time of the request probing a spent window's end

    # -- what the answers say -----------------------------------------------------------------------------
    def on_answer(self, sent: float, status: int, limit: int | None, remaining: int | None) -> None:
        """One answer (any status) to a request sent at ``sent`` (this pacer's clock)."""
        self._recent.append(status == 429)
        if sent == self._probe:
            self._probe = None
        if 200 <= status < 500 and status != 429:
            self._round_trip(self._clock() - sent)
        if limit is None or remaining is None:
            return
        self.limit = limit
        if remaining == limit - 1 and status != 429:  # the first request of a fresh window
            start = self._window_start
            if start is not None and sent > start:
                gap = sent - start
                self.window = gap if self.window is None else min(self.window, gap)
            self._window_start = sent
            if self.window is not None:
                self._renewal = sent + self.window
        if sent >= self._ref_sent:
            self._ref_sent, self._ref_remaining = sent, remaining

    def _round_trip(self, seconds: float) -> None:
        trips = self._trips
        trips.append(seconds)
        self._trips_new += 1
        if self._trips_new >= _TRIPS_EVERY or len(trips) < _TRIPS_EVERY:
            self._trips_new = 0
            self.spacing = SPREAD * sorted(trips)[len(trips) // 2] / self._concurrency

    def on_throttled(self, sent: float, retry_after: float | None, *, spent: bool) -> bool:
        """A 429. Returns True when it means the window is spent (then every new request is held)."""
        now = self._clock()
        if not spent:
            recent = list(self._recent)[-4:]
            spent = len(recent) >= 4 and sum(recent) >= 3
        if spent:
            wait = 1.0 if retry_after is None else retry_after
            end = now + wait
            if self._window_start is not None and end > self._window_start:
                bound = end - self._window_start
                self.window = bound if self.window is None else min(self.window, bound)
            self._renewal = max(self._renewal, end)
            self.hold(wait)
        return spent

    def recent_throttled(self) -> int:
        """429s among the last answers (up to 8): one is a lone 429, more means the rate is too high."""
        return sum(self._recent)

    # -- admission ---------------------------------------------------------------------------------------
    def hold(self, seconds: float) -> None:
        until = self._clock() + max(0.0, seconds)
        if until > self.hold_until:
            self.hold_until = until
            self.holds += 1

    def _budget(self, now: float) -> int | None:
        """Requests the current window still allows, as far as we know (None: no headers seen)."""
        if self.limit is None:
            return None
        if now >= self._renewal > self._ref_sent:  # the window we last heard of has ended
            return self.limit - sum(1 for t in self._sends if t >= self._renewal)
        return self._ref_remaining - sum(1 for t in self._sends if t > self._ref_sent)

    def delay(self, left: int | None = None) -> float:
        """Seconds to wait before the next request may start (0: go now). ``left``: rows still to send,
        this one included; when the window's budget covers them all, pacing has nothing to protect."""
        now = self._clock()
        if now < self.hold_until:
            return self.hold_until - now
        budget = self._budget(now)
        if budget is not None and budget <= 0:
            if self._renewal > now:
                return self._renewal - now
            if self._probe is None:
                return 0.0  # window end unknown: one request finds out (an answer or a 429)
            return 0.05
        if self._next_start > now and (left is None or budget is None or left > budget):
            return self._next_start - now
        return 0.0

    def sent(self) -> float:
        """Record a request start now; returns its send time (pass it back with the answer)."""
        now = self._clock()
        if self.limit is not None:
            self._sends.append(now)
            oldest = min(self._ref_sent, self._renewal) if self._renewal > 0 else self._ref_sent
            while self._sends and self._sends[0] < oldest:
                self._sends.popleft()
            budget = self._budget(now)
            if budget is not None and budget <= 0 and self._probe is None:
                self._probe = now
            if self.window is not None and self.limit:
                # From the previous slot, not from now: a timer that fires late must not stretch the pace
                # (at most one interval of catching up, so an idle spell does not turn into a burst).
                interval = self.window / (_FILL * self.limit)
                self._next_start = max(self._next_start, now - interval) + interval
        return now

    def take_turn(self) -> float:
        """Seconds until this request's start turn in the spread (0: now); the turn is taken."""
        if self.spacing <= 0.0:
            return 0.0
        now = self._clock()
        turn = max(now, self._turn)
        self._turn = turn + self.spacing
        return turn - now

    async def admit(self, left: Callable[[], int] | None = None) -> float:
        """Wait until a request may start; returns its send time. ``left()``: rows still to send."""
        while True:
            wait = self.delay(None if left is None else left())
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        turn = self.take_turn()
        if turn >= _MIN_WAIT:
            await asyncio.sleep(turn)
        return self.sent()
