"""A tiny HTTP server on 127.0.0.1 that serves one file like SUNAT's: Range/If-Range, ETag, Last-Modified,
and, on request, a connection that drops after a number of bytes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Served:
    body: bytes
    etag: str = '"v1"'
    last_modified: str = "Sat, 28 Nov 2026 08:15:00 GMT"
    drop_after: int | None = None  # the next response stops after this many body bytes
    requests: list[dict[str, str]] = field(default_factory=list)
    sent: int = 0  # body bytes actually sent, over all requests


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            served.requests.append(dict(self.headers.items()))
            body, start = served.body, 0
            wanted = self.headers.get("Range")
            if_range = self.headers.get("If-Range")
            partial = wanted is not None and if_range in (None, served.etag, served.last_modified)
            if partial:
                start = int(wanted.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            chunk = body[start:]
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("ETag", served.etag)
            self.send_header("Last-Modified", served.last_modified)
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if served.drop_after is not None:
                cut, served.drop_after = served.drop_after, None
                self.wfile.write(chunk[:cut])
                served.sent += cut
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(chunk)
            served.sent += len(chunk)

    return Handler


@contextmanager
def serve(served: Served) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/padron_reducido_ruc.zip"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
