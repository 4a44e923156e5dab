"""Scoring the structure finder on a corpus of layouts: parts found, missed and invented.

A corpus is a YAML file of short reports with the parts, item counts, truncation and refusal a
reader finds in them (``tests/data/structure/tune.yaml`` is tuned on,
``eval/structure_heldout/cases.yaml`` only measured). A case marked ``flatten`` is scored a
second time with every line break removed, as text copied out of a web page or a PDF arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from summariser.structure.doctype import document_kind, is_report
from summariser.structure.sections import Structure, analyse

Refuser = Callable[[Structure, str], str | None]


def refused_as(structure: Structure, source: str) -> str | None:
    """The kind of document the pipeline refuses the text as, or None when it is a report."""
    kind = document_kind(structure, source)
    return kind or (None if is_report(structure, source) else "not_report")


@dataclass(frozen=True)
class Case:
    """One layout: its text and what a reader finds in it."""

    id: str
    text: str
    parts: dict[str, int | None]
    truncated: bool = False
    refused: str | None = None


@dataclass
class Tally:
    """Counts over a corpus; precision and recall are over statutory parts."""

    cases: int = 0
    found: int = 0  # expected parts found
    missed: int = 0
    invented: int = 0
    items_right: int = 0
    items_checked: int = 0
    truncation_errors: int = 0
    refusal_errors: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.invented) if self.found + self.invented else 1.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0

    def line(self) -> str:
        return (
            f"{self.cases} layouts: part precision {self.precision:.3f}, recall "
            f"{self.recall:.3f} (found {self.found}, missed {self.missed}, invented "
            f"{self.invented}); item counts right {self.items_right}/{self.items_checked}; "
            f"truncation errors {self.truncation_errors}; refusal errors {self.refusal_errors}"
        )


def flatten(text: str) -> str:
    """The text with its line breaks lost: every line's words joined into one line."""
    return "".join(line.strip() for line in text.splitlines())


def unterminated(text: str) -> str:
    """The text as a .docx or .html reader gives it: no line break after the last line."""
    return text.rstrip()


def load_corpus(path: Path) -> list[tuple[Case, bool]]:
    """The cases of a corpus file, each as (case, flattened); flattened variants follow."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    out: list[tuple[Case, bool]] = []
    for raw in data["cases"]:
        case = Case(
            id=raw["id"],
            text=raw["text"],
            parts=dict(raw.get("parts") or {}),
            truncated=bool(raw.get("truncated", False)),
            refused=raw.get("refused"),
        )
        out.append((case, False))
        if raw.get("flatten"):
            out.append((case, True))
    return out


def score(
    corpus: list[tuple[Case, bool]],
    refuse: Refuser = refused_as,
    analyser: Callable[[str], Structure] = analyse,
    shape: Callable[[str], str] = lambda text: text,
) -> Tally:
    """Run the structure finder (and the refusal check) over a corpus and count."""
    tally = Tally()
    for case, flat in corpus:
        text = shape(flatten(case.text) if flat else case.text)
        name = case.id + (" (flattened)" if flat else "")
        tally.cases += 1
        found = analyser(text)
        refused = refuse(found, text)
        if case.refused or refused:
            if case.refused != refused:
                tally.refusal_errors += 1
                tally.failures.append(f"{name}: refused {refused!r}, expected {case.refused!r}")
            if not case.refused:  # a report refused: every part it has is missed
                tally.missed += len(case.parts)
            continue
        expected, got = set(case.parts), set(found.parts)
        tally.found += len(expected & got)
        tally.missed += len(expected - got)
        tally.invented += len(got - expected)
        if expected != got:
            tally.failures.append(f"{name}: parts {sorted(got)}, expected {sorted(expected)}")
        for key, count in case.parts.items():
            if count is None or key not in found.parts:
                continue
            tally.items_checked += 1
            n = len(found.parts[key].segments)
            if n == count:
                tally.items_right += 1
            else:
                tally.failures.append(f"{name}: {key} has {n} items, expected {count}")
        if found.completeness.truncated != case.truncated:
            tally.truncation_errors += 1
            tally.failures.append(f"{name}: truncated {found.completeness.truncated}")
    return tally


SPLITS = {
    "tune": Path("tests/data/structure/tune.yaml"),
    "held-out": Path("eval/structure_heldout/cases.yaml"),
}


def main(argv: list[str] | None = None) -> int:
    """Print part precision/recall for each split (paths relative to the repository root)."""
    import sys

    root = Path(__file__).resolve().parents[2]
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    for name, rel in SPLITS.items():
        tally = score(load_corpus(root / rel))
        print(f"{name}: {tally.line()}")
        for failure in tally.failures if verbose else []:
            print(f"  {failure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
