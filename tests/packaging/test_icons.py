"""The icon files the bundles use are complete (.ico sizes Windows picks from, .icns, 256 px PNG)."""

from __future__ import annotations

import struct

from PySide6.QtGui import QImage

from .helpers import PACKAGING, script

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _ico_sizes(data: bytes) -> list[int]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        image = QImage.fromData(data[offset : offset + length])
        assert not image.isNull()
        assert image.width() == (width or 256)
        sizes.append(width or 256)
    return sizes


def _icns_types(data: bytes) -> dict[bytes, int]:
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack_from(">I", data, pos + 4)[0]
        payload = data[pos + 8 : pos + length]
        assert payload.startswith(PNG_MAGIC)
        found[kind] = QImage.fromData(payload).width()
        pos += length
    return found


def test_committed_icons_are_complete(qapp):
    assert sorted(_ico_sizes((PACKAGING / "icons" / "app.ico").read_bytes())) == [16, 24, 32, 48, 256]
    icns = _icns_types((PACKAGING / "icons" / "app.icns").read_bytes())
    assert icns[b"ic08"] == 256 and icns[b"ic10"] == 1024 and icns[b"icp4"] == 16
    png = QImage(str(PACKAGING / "icons" / "app.png"))
    assert (png.width(), png.height()) == (256, 256)


def test_generator_writes_every_file(qapp, tmp_path):
    make = script("make_icons.py")
    assert make["main"](tmp_path) == 0
    assert sorted(_ico_sizes((tmp_path / "app.ico").read_bytes())) == list(make["ICO_SIZES"])
    assert len(_icns_types((tmp_path / "app.icns").read_bytes())) == len(make["ICNS_TYPES"])
    image = QImage(str(tmp_path / "app.png"))
    assert image.width() == 256
    assert image.pixelColor(128, 128).alpha() == 255  # drawn, not an empty canvas
    assert image.pixelColor(0, 0).alpha() == 0  # transparent corners
