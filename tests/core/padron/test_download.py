"""Downloading against a local server with byte ranges: resume after a drop, corrupt ZIPs change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest

from migo_desktop.core.padron import (
    Cancel,
    PadronCancelled,
    PadronError,
    PadronStore,
    Progress,
    download_padron,
)
from migo_desktop.core.padron.download import download_zip

from .fixture import CONTENT, write_txt, write_zip
from .range_server import Served, serve


@pytest.fixture
def store(tmp_path: Path) -> PadronStore:
    return PadronStore(tmp_path / "data" / "padron.sqlite3")


def _zip_bytes(tmp_path: Path, content: bytes = CONTENT, *, stored: bool = True) -> bytes:
    return write_zip(tmp_path, content, name="fuente.zip", stored=stored).read_bytes()


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path: Path, store: PadronStore) -> None:
    body = _zip_bytes(tmp_path, CONTENT * 20)
    served = Served(body, drop_after=len(body) // 3)
    seen: list[Progress] = []
    with serve(served) as url, httpx.Client() as client:
        with pytest.raises(PadronError, match="continuará desde donde quedó"):
            download_padron(store, url, client=client)
        part = store.path.with_name("padron_reducido_ruc.zip.part")
        assert part.stat().st_size == len(body) // 3 and store.info() is None
        result, report = download_padron(store, url, client=client, on_progress=seen.append)
    assert (
        served.requests[1]["Range"] == f"bytes={len(body) // 3}-" and served.requests[1]["If-Range"] == '"v1"'
    )
    assert result.resumed_from == len(body) // 3 and result.size == len(body)
    assert served.sent == len(body)  # nothing downloaded twice
    assert report.imported == 8 and store.fecha == date(2026, 11, 28)  # Last-Modified, on Peru's clock
    assert store.info().origen == url
    downloads = [p for p in seen if p.phase == "descarga"]
    assert downloads[-1].done == downloads[-1].total == len(body)
    assert not part.exists() and not store.path.with_name("padron_reducido_ruc.zip").exists()


def test_a_changed_file_on_the_server_restarts_the_download(tmp_path: Path, store: PadronStore) -> None:
    old = _zip_bytes(tmp_path, CONTENT * 20)
    served = Served(old, drop_after=500)
    with serve(served) as url, httpx.Client() as client:
        with pytest.raises(PadronError):
            download_padron(store, url, client=client)
        served.body, served.etag = _zip_bytes(tmp_path, CONTENT * 21), '"v2"'  # SUNAT published a new one
        result, _ = download_padron(store, url, client=client)
    assert served.requests[1]["If-Range"] == '"v1"'
    assert result.resumed_from == 0 and result.size == len(served.body)


def test_a_corrupt_zip_leaves_the_old_padron_in_use(tmp_path: Path, store: PadronStore) -> None:
    from migo_desktop.core.padron import import_padron

    import_padron(write_txt(tmp_path), store, fecha=date(2026, 11, 1))
    body = bytearray(_zip_bytes(tmp_path, CONTENT * 50, stored=False))
    for i in range(80, 100):
        body[i] ^= 0x5A  # inside the compressed data
    with (
        serve(Served(bytes(body))) as url,
        httpx.Client() as client,
        pytest.raises(PadronError, match="dañado"),
    ):
        download_padron(store, url, client=client)
    assert store.fecha == date(2026, 11, 1) and store.lookup("20330033313") is not None
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["padron.sqlite3"]


def test_a_server_error_is_a_clear_message(tmp_path: Path, store: PadronStore) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="<html>mantenimiento</html>")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(PadronError) as caught:
        download_padron(store, "https://www2.sunat.gob.pe/padron_reducido_ruc.zip", client=client)
    assert "HTTP 503" in caught.value.user_message and "Importar archivo" in caught.value.user_message


def test_cancel_stops_the_download_and_keeps_the_part(tmp_path: Path) -> None:
    body = _zip_bytes(tmp_path, CONTENT * 400)
    cancel = Cancel()

    def progress(p: Progress) -> None:
        cancel.set()

    dest = tmp_path / "out" / "padron_reducido_ruc.zip"
    with serve(Served(body)) as url, httpx.Client() as client, pytest.raises(PadronCancelled):
        download_zip(url, dest, client=client, on_progress=progress, cancel=cancel)
    assert not dest.exists() and 0 < dest.with_name(dest.name + ".part").stat().st_size < len(body)
