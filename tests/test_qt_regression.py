"""DESIGN.md §5: PySide6 6.12.0 on Python 3.11 aborts (none_dealloc) after a few thousand qasync callbacks.

Spin ≥ 50,000 loop callbacks through qasync's QEventLoop in a subprocess (an abort kills the process, so
it must not be this one) and check that the process exits cleanly after reaching the count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

TARGET = 60_000

SCRIPT = r"""
import asyncio, sys
from PySide6.QtWidgets import QApplication
import qasync

TARGET = int(sys.argv[1])
app = QApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
count = 0
done = loop.create_future()

def tick():
    global count
    count += 1
    if count >= TARGET // 2:
        done.set_result(None)
    else:
        loop.call_soon(tick)

async def sleeper():
    global count
    for _ in range(TARGET // 20):
        await asyncio.sleep(0)
        count += 1

async def main():
    loop.call_soon(tick)
    await done
    await asyncio.gather(*(sleeper() for _ in range(10)))  # 10 tasks x TARGET/20 = the other half

with loop:
    loop.run_until_complete(main())
print(f"COUNT {count}", flush=True)
"""


def test_qasync_loop_survives_many_callbacks():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(TARGET)], capture_output=True, text=True, env=env, timeout=120
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert "none_dealloc" not in proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("COUNT ")]
    assert lines, proc.stdout
    assert int(lines[-1].split()[1]) == TARGET >= 50_000
    assert elapsed < 60, f"took {elapsed:.1f}s"
