"""Reading input files into text, keeping the original characters so spans point into them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from summariser.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


@dataclass(frozen=True)
class Document:
    """A report as read: its text (every span indexes this), and how it was decoded."""

    path: Path
    text: str
    format: str
    encoding: str | None
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: cannot decode the file as UTF-8 or GB18030") from err


def read_document(path: Path) -> Document:
    """Read a report file.

    Raises:
        InputError: the file is missing, unreadable, empty or undecodable.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from err
    digest = hashlib.sha256(data).hexdigest()
    text, encoding = _decode(data, path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    fmt = "md" if path.suffix.lower() in {".md", ".markdown"} else "txt"
    return Document(path=path, text=text, format=fmt, encoding=encoding, sha256=digest)
