"""A scripted OpenAI-compatible server on loopback, for exercising the model door's fault paths."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


def completion(
    content: str | None, *, finish: str = "stop", tokens_in: int = 50, tokens_out: int = 20
) -> dict[str, Any]:
    """A chat.completion body with one choice."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
        },
    }


@dataclass
class Reply:
    """One scripted answer: an HTTP status, a JSON body, headers, a delay, or a dropped connection."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


class Loopback:
    """An HTTP server on a free loopback port, in a thread, for the ``with`` block's length."""

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeServer(Loopback):
    """Serves scripted replies in order; once the script is used up, ``default`` answers.

    ``default`` is a callable from the request's JSON to a Reply, so a test can answer by content.
    Every request's JSON is kept in ``requests``.
    """

    def __init__(
        self,
        script: list[Reply] | None = None,
        default: Callable[[dict[str, Any]], Reply] | None = None,
    ) -> None:
        self.script = list(script or [])
        self.default = default
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._send(
                    Reply(body={"object": "list", "data": [{"id": "fake", "object": "model"}]})
                )

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("content-length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                with server.lock:
                    server.requests.append(payload)
                    reply = server.script.pop(0) if server.script else None
                if reply is None:
                    reply = (
                        server.default(payload)
                        if server.default
                        else Reply(status=500, body={"error": "script used up"})
                    )
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                data = (
                    json.dumps(reply.body).encode()
                    if not isinstance(reply.body, bytes)
                    else reply.body
                )
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self.serve(Handler)
