"""Windows has no RLIMIT_AS: cap a child's memory with a Job Object instead (no-op elsewhere).

``cap_process_memory(process, limit)`` puts the child in a new job with ``JOB_OBJECT_LIMIT_PROCESS_MEMORY``
(an allocation past the limit fails inside the child) and ``KILL_ON_JOB_CLOSE`` (the child dies with the
handle the caller keeps). On POSIX the child caps itself with ``resource.setrlimit`` and this returns None.
If the job cannot be created the child still runs under the wall-clock deadline of ``excel.isolated``; the
failure is logged. Not exercised by the Linux test suite.
"""

from __future__ import annotations

import logging
import sys
from multiprocessing.process import BaseProcess

__all__ = ["cap_process_memory"]

log = logging.getLogger(__name__)


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    class _IoCounters(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_ulonglong)
            for name in ("Read", "Write", "Other", "ReadBytes", "WriteBytes", "OtherBytes")
        ]

    class _BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
        ]

    class _ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", _BasicLimits),
            ("IoInfo", _IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    _LIMIT_PROCESS_MEMORY = 0x100
    _LIMIT_KILL_ON_JOB_CLOSE = 0x2000
    _EXTENDED_LIMIT_INFORMATION = 9

    class _Job:
        def __init__(self, handle: int, kernel32: ctypes.WinDLL) -> None:
            self.handle, self._kernel32 = handle, kernel32

        def __del__(self) -> None:
            self._kernel32.CloseHandle(self.handle)

    def cap_process_memory(process: BaseProcess, limit: int) -> object | None:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            log.warning("CreateJobObject failed: %s", ctypes.get_last_error())
            return None
        info = _ExtendedLimits()
        info.BasicLimitInformation.LimitFlags = _LIMIT_PROCESS_MEMORY | _LIMIT_KILL_ON_JOB_CLOSE
        info.ProcessMemoryLimit = limit
        ok = kernel32.SetInformationJobObject(
            job, _EXTENDED_LIMIT_INFORMATION, ctypes.byref(info), ctypes.sizeof(info)
        ) and kernel32.AssignProcessToJobObject(job, wintypes.HANDLE(process.sentinel))
        if not ok:
            log.warning("job object limit failed: %s", ctypes.get_last_error())
        return _Job(job, kernel32)

else:

    def cap_process_memory(process: BaseProcess, limit: int) -> object | None:
        return None  # the child calls resource.setrlimit(RLIMIT_AS) itself
