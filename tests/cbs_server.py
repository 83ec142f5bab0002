"""A local HTTP server that answers like CBS StatLine's OData API for table 83102NED, serving
tests/fixtures/cbs/ (the real shape; made-up values). The tests use it as `cbs` fixture."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import FIXTURES

SERVED = FIXTURES / "cbs"
TABLES = ("Geslacht", "Leeftijd", "Nationaliteiten", "TypedDataSet")
DATA_PATH = "/ODataApi/odata/83102NED/TypedDataSet"


class CbsServer(http.server.ThreadingHTTPServer):
    # What each path answers: (status, content type, body); a test may change them.
    answers: dict[str, tuple[int, str, bytes]]
    requests: list[str]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/ODataApi/odata"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: CbsServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        # An answer for the path with its query (a later page), else for the path.
        path = urllib.parse.urlsplit(self.path).path
        self.server.requests.append(self.path)
        answer = self.server.answers.get(self.path) or self.server.answers.get(path)
        status, kind, body = answer or (404, "text/html", b"<html>not found</html>")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def table(name: str) -> tuple[int, str, bytes]:
    return 200, "application/json;odata=minimalmetadata", (SERVED / f"{name}.json").read_bytes()


@contextmanager
def serving() -> Iterator[CbsServer]:
    server = CbsServer(("127.0.0.1", 0), _Handler)
    server.answers = {f"/ODataApi/odata/83102NED/{name}": table(name) for name in TABLES}
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
