"""One exception tree, split by whose fault it is, each mapped to an exit code."""

from __future__ import annotations


class SummariserError(Exception):
    """Base of every error the tool reports as a one-line message."""

    exit_code = 1
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def one_line(self) -> str:
        """The message a user sees: one line, with what to do next when we know it."""
        text = " ".join(str(self).split())
        return f"{text} ({self.hint})" if self.hint else text


class InputError(SummariserError):
    """The user's file or arguments are unusable (missing, undecodable, not a report)."""

    exit_code = 2


class ConfigError(SummariserError):
    """The configuration is wrong or incomplete (no endpoint, model not installed)."""

    exit_code = 2


class ModelError(SummariserError):
    """The model answered, but not with something usable (bad JSON, empty, truncated)."""

    exit_code = 1


class TransportError(SummariserError):
    """The endpoint could not be reached or kept failing (refused, timeouts, 5xx, 429)."""

    exit_code = 1
