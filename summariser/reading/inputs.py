"""Input discovery for a batch: which files to read, what was skipped and why, and duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from summariser.reading.documents import HTML_SUFFIXES, SUPPORTED_SUFFIXES, Document

__all__ = ["duplicate_groups", "find_inputs"]


def find_inputs(
    paths: Iterable[Path], *, recursive: bool = False
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand the paths a user gave into the files to read, and say what was skipped and why.

    Files named explicitly are kept if their suffix is supported. Folders are expanded to their
    supported files sorted by name; hidden files, Office lock files (~$...) and the resource
    folders of saved web pages are skipped, and subfolders are searched only when `recursive`.
    The same file given twice is read once.

    Returns:
        (files to read, [(skipped path, reason), ...]), both in the order found.
    """
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def keep(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    def consider(path: Path, *, explicit: bool) -> None:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            skipped.append((path, f"unsupported file type {path.suffix or '(no suffix)'!r}"))
        elif not explicit and path.name.startswith("."):
            skipped.append((path, "hidden file"))
        elif not explicit and path.name.startswith("~$"):
            skipped.append((path, "Office lock file"))
        else:
            keep(path)

    def expand(folder: Path) -> None:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
        page_stems = {p.stem for p in entries if p.suffix.lower() in HTML_SUFFIXES}
        for entry in entries:
            if entry.is_dir():
                if entry.name.startswith("."):
                    skipped.append((entry, "hidden folder"))
                elif re.sub(r"[._]files$", "", entry.name) in page_stems:
                    skipped.append((entry, "resources of a saved web page"))
                elif recursive:
                    expand(entry)
                else:
                    skipped.append((entry, "subfolder (not searched; use recursive)"))
            elif entry.is_file():
                consider(entry, explicit=False)

    for path in map(Path, paths):
        if path.is_dir():
            expand(path)
        elif path.is_file():
            consider(path, explicit=True)
        else:
            skipped.append((path, "no such file or folder"))
    return found, skipped


def duplicate_groups(docs: Iterable[Document]) -> list[list[Document]]:
    """Documents whose files are byte-for-byte the same, as groups of two or more, in order."""
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(doc.sha256, []).append(doc)
    return [group for group in groups.values() if len(group) > 1]
