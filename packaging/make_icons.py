"""Render the application icon (migo_desktop/resources/icons/app.svg) into the files the bundles need.

    .venv/bin/python packaging/make_icons.py        # writes packaging/icons/app.{ico,icns,png}

Qt's QSvgRenderer draws each size offscreen (QtSvg is part of PySide6-Essentials); the .ico and .icns
containers are written here with PNG payloads, which Windows Vista+ and macOS 10.7+ read, so no image
plug-in or extra tool is needed and the output is the same on every OS. Re-run it when app.svg changes and
commit the result (tests/packaging/test_icons.py checks the files are complete).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "migo_desktop" / "resources" / "icons" / "app.svg"
OUT = Path(__file__).resolve().parent / "icons"

ICO_SIZES = (16, 24, 32, 48, 256)
# ICNS element types that hold PNG data, with their pixel size.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
PNG_SIZE = 256


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent size×size canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication([])  # type: ignore[attr-defined]  # kept alive for later calls
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per size + the PNG images (a size of 256 is written as 0)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        png = pngs[size]
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def icns_bytes(elements: list[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out: Path = OUT) -> int:
    out.mkdir(parents=True, exist_ok=True)
    cache: dict[int, bytes] = {}

    def png(size: int) -> bytes:
        if size not in cache:
            cache[size] = render_png(SVG, size)
        return cache[size]

    (out / "app.ico").write_bytes(ico_bytes({size: png(size) for size in ICO_SIZES}))
    (out / "app.icns").write_bytes(icns_bytes([(kind, png(size)) for kind, size in ICNS_TYPES]))
    (out / "app.png").write_bytes(png(PNG_SIZE))
    for name in ("app.ico", "app.icns", "app.png"):
        print(f"{out / name}: {(out / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
