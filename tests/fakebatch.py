"""A fake batch engine and a fake files-and-batches API on loopback, for the batch files' tests.

The engine answers each line of a batch input file the way ``tests.fakemodel`` answers the
fake chat server, and writes the batch output format (``custom_id``, ``response.body``). The
server speaks the OpenAI files and batches API (upload, create, poll, download), running the
engine over an uploaded file once its batch has been polled ``polls`` times.
"""

from __future__ import annotations

import email.parser
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakemodel import answer_json
from tests.fakeserver import Loopback, completion

Answerer = Callable[[dict[str, Any]], dict[str, Any] | None]
"""A request body -> the chat completion body (None: the engine drops that line)."""


def well_behaved(body: dict[str, Any]) -> dict[str, Any] | None:
    return completion(answer_json(body))


def run_engine(requests: str, answer: Answerer = well_behaved) -> str:
    """A batch output file for a batch input file's text."""
    out = []
    for raw in requests.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        body = answer(line["body"])
        if body is None:
            continue
        if "error" in body:
            result = {"custom_id": line["custom_id"], "response": None, "error": body["error"]}
        else:
            response = {"status_code": 200, "request_id": "req", "body": body}
            result = {"custom_id": line["custom_id"], "response": response, "error": None}
        out.append(json.dumps(result, ensure_ascii=False))
    return "".join(line + "\n" for line in out)


class FakeBatchServer(Loopback):
    """``/v1/files`` and ``/v1/batches`` as OpenAI serves them, answered by ``answer``."""

    def __init__(self, answer: Answerer = well_behaved, polls: int = 2, fail: int = 0) -> None:
        self.answer = answer
        self.polls = polls
        self.fail = fail
        """The first ``fail`` batches end ``failed`` (their input refused), with no output."""
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.uploads = 0
        self.created = 0
        self.status_calls = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("content-length") or 0))

            def _json(self, value: Any, status: int = 200) -> None:
                data = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                data = self._body()
                if self.headers.get("authorization") != "Bearer sk-test":
                    self._json({"error": "bad key"}, 401)
                    return
                with server.lock:
                    if self.path == "/v1/files":
                        message = email.parser.BytesParser().parsebytes(
                            b"Content-Type: "
                            + self.headers["content-type"].encode()
                            + b"\r\n\r\n"
                            + data
                        )
                        fields = {
                            part.get_param("name", header="content-disposition"): part.get_payload(
                                decode=True
                            )
                            for part in message.get_payload()  # type: ignore[union-attr]
                        }
                        assert fields["purpose"] == b"batch"
                        server.uploads += 1
                        file_id = f"file-{server.uploads}"
                        server.files[file_id] = fields["file"]
                        self._json({"id": file_id, "object": "file", "purpose": "batch"})
                    elif self.path == "/v1/batches":
                        payload = json.loads(data)
                        assert payload["endpoint"] == "/v1/chat/completions"
                        server.created += 1
                        batch = {
                            "id": f"batch-{server.created}",
                            "object": "batch",
                            "status": "validating",
                            "input_file_id": payload["input_file_id"],
                            "polls_left": server.polls,
                        }
                        server.batches[batch["id"]] = batch
                        self._json(batch)
                    else:
                        self._json({"error": "no such path"}, 404)

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    parts = self.path.strip("/").split("/")
                    if parts[:2] == ["v1", "batches"] and parts[2] in server.batches:
                        server.status_calls += 1
                        batch = server.batches[parts[2]]
                        if batch["status"] not in ("completed", "failed"):
                            if batch["polls_left"] > 0:
                                batch["polls_left"] -= 1
                                batch["status"] = "in_progress"
                            elif int(batch["id"].split("-")[1]) <= server.fail:
                                batch["status"] = "failed"
                                batch["errors"] = {
                                    "object": "list",
                                    "data": [{"code": "invalid_json_line", "message": "line 3"}],
                                }
                            else:
                                text = server.files[batch["input_file_id"]].decode("utf-8")
                                out_id = f"file-out-{batch['id']}"
                                server.files[out_id] = run_engine(text, server.answer).encode()
                                batch["status"] = "completed"
                                batch["output_file_id"] = out_id
                        self._json(batch)
                    elif parts[:2] == ["v1", "files"] and parts[-1] == "content":
                        data = server.files[parts[2]]
                        self.send_response(200)
                        self.send_header("content-length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                    else:
                        self._json({"error": "no such path"}, 404)

        self.serve(Handler)
