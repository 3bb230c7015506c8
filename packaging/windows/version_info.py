"""The Windows version resource of both executables (Properties → Details in Explorer).

Called by migo_desktop.spec on Windows; build.py also builds it on every OS as a check (PyInstaller's
versioninfo classes are plain Python).
"""

from __future__ import annotations

from typing import Any


def version_info(numbers: tuple[int, int, int, int], version: str) -> Any:
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    strings = [
        StringStruct("CompanyName", "Migo Desktop"),
        StringStruct("FileDescription", "Migo Desktop — consulta masiva de RUC"),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", "migo-desktop"),
        StringStruct("LegalCopyright", "© Migo Desktop contributors — licencia MIT"),
        StringStruct("OriginalFilename", "migo-desktop.exe"),
        StringStruct("ProductName", "Migo Desktop"),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(
            filevers=numbers,
            prodvers=numbers,
            mask=0x3F,
            flags=0x0,
            OS=0x40004,  # VOS_NT_WINDOWS32
            fileType=0x1,  # VFT_APP
            subtype=0x0,
            date=(0, 0),
        ),
        # 0x280A = Spanish (Peru), 1200 = Unicode
        kids=[
            StringFileInfo([StringTable("280A04B0", strings)]),
            VarFileInfo([VarStruct("Translation", [0x280A, 1200])]),
        ],
    )
