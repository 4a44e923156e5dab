"""Asking the model to label a report's top-level headings when the part rules are unsure."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from summariser.errors import ModelError, TransportError
from summariser.lexicon.parts import valid_labels
from summariser.model.prompts import PromptTemplate
from summariser.model.prompts import load as load_prompt
from summariser.schema import PartLabels

if TYPE_CHECKING:  # the door's types only: importing it would load openai for the rules engine
    from summariser.model.door import Extraction, Usage


@runtime_checkable
class LabelDoor(Protocol):
    """What the labeller needs from the model door."""

    def label_headings(
        self, messages: list[dict[str, str]], count: int
    ) -> Extraction[PartLabels]: ...


class ModelLabeller:
    """Asks the model, through the door, to label a list of headings: one short request."""

    def __init__(self, door: LabelDoor, template: PromptTemplate | None = None) -> None:
        self.door = door
        self.template = template or load_prompt("parts")
        self.asked = 0
        # Batch jobs share one labeller across threads: each thread reads its own last cost.
        self._local = threading.local()

    @property
    def last(self) -> Usage | None:
        """What this thread's last request cost (attempts, tokens); None when it got no answer."""
        value: Usage | None = getattr(self._local, "last", None)
        return value

    def messages(self, headings: list[str]) -> list[dict[str, str]]:
        listed = "\n".join(f"{n}. {h}" for n, h in enumerate(headings, start=1))
        return self.template.render(headings=listed)

    def label(self, headings: list[str]) -> list[str] | None:
        self.asked += 1
        self._local.last = None
        try:
            got = self.door.label_headings(self.messages(headings), len(headings))
        except (ModelError, TransportError):
            return None  # no usable model: the rules' reading stands
        self._local.last = got.usage
        labels: list[str] = [str(label) for label in got.value.labels]
        if got.errors or not valid_labels(labels, len(headings)):
            return None
        return labels
