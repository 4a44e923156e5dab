"""The one door to the model: an OpenAI-compatible client wrapped by instructor, with retries.

Only this module imports ``openai`` and ``instructor`` (a ruff ban keeps it so). Everything else
receives a :class:`ModelDoor` (or a fake with the same ``extract`` method) from its caller.

Two kinds of retry, in two places:
- transport (429 honouring Retry-After, 5xx, timeouts, refused connections): tenacity, here;
  400/401/403/404 are never retried;
- validation (a figure of the answer the source does not bear out): instructor re-asks with
  the validator's message, which names the failing figure, on the same short messages.
Every attempt and every token is counted, failed ones too.

Mode: instructor's ``JSON`` mode prompt (the schema in the system message, re-asks on a parse
or check failure), sent by default **without** ``response_format`` (``text``): the answer is
free text parsed as JSON. Measured against llama-cpp-python's server: ``JSON_SCHEMA`` is
refused (HTTP 500); ``TOOLS`` compiles the schema into a grammar and decodes at ~2 tokens/s;
``json_object`` (mode ``json``) samples through a generic JSON grammar that cost about a third
of each request (the first ten item requests of huangzhong-2024: 46.8 s and 50.0 s against
33.4 s and 31.6 s without it, the same answers); ``MD_JSON`` appends a request for a fenced
code block, after which the model wrote longer answers (50.2 s). A free answer in a code fence
is read without it. The door's default is ``text``; ``resolve_endpoint`` gives an endpoint other
than the embedded model ``json`` (its own JSON mode), and ``SUMMARISER_MODE`` overrides both.
Cassettes are recorded in ``text``.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx2
import instructor
import openai
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorError,
    InstructorRetryException,
)
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from summariser.errors import ConfigError, ModelError, TransportError
from summariser.schema import IndicatorChoice, PartLabels

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR; we report failures ourselves, in one line.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

MODES = {
    "text": instructor.Mode.JSON,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
"""Door modes -> instructor modes; ``text`` is ``JSON`` without ``response_format``."""
DEFAULT_MODE = "text"


@dataclass
class Usage:
    """What one extraction cost: every HTTP attempt and every token, failed ones included."""

    attempts: int = 0
    transport_retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0


@dataclass
class Extraction(Generic[T]):
    """The model's answer, validated when possible.

    ``errors`` holds the validator's last messages when the re-asks ran out: the answer is then
    kept (parsed without the source checks) and the caller flags what failed.
    """

    value: T
    usage: Usage
    errors: list[str] = field(default_factory=list)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return True
    if isinstance(exc, openai.RateLimitError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


class ModelDoor:
    """Talks to one OpenAI-compatible endpoint.

    Args:
        base_url: the endpoint's base URL (``.../v1``).
        model: the model name sent with every request.
        api_key: the key; never logged, never written.
        timeout: seconds for one HTTP request.
        transport_attempts: attempts per request for transient transport failures.
        max_wait: the longest pause between transport attempts (Retry-After is capped by it).
        mode: ``text`` (default), ``json`` or ``md_json`` (see the module docstring).
        transport: an httpx2 transport that answers in place of the network (the batch files
            replay collected answers through it); None: the endpoint itself.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "not-needed",
        *,
        timeout: float = 300.0,
        transport_attempts: int = 4,
        max_wait: float = 30.0,
        mode: str = DEFAULT_MODE,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown mode {mode!r}; use one of {sorted(MODES)}")
        self.model = model
        self.base_url = base_url
        self.mode = MODES[mode]
        self.constrained = mode != "text"
        self.transport_attempts = transport_attempts
        self.max_wait = max_wait
        http_client = (
            httpx2.Client(transport=transport, timeout=timeout) if transport is not None else None
        )
        self._client = openai.OpenAI(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )

    def _instructor(self) -> instructor.Instructor:
        if self.constrained:
            return instructor.from_openai(self._client, mode=self.mode)
        create = self._client.chat.completions.create

        def unconstrained(*args: Any, **kwargs: Any) -> Any:
            kwargs.pop("response_format", None)
            response = create(*args, **kwargs)
            for choice in getattr(response, "choices", None) or []:
                message = getattr(choice, "message", None)
                if message is not None and isinstance(message.content, str):
                    message.content = bare_json(message.content)
            return response

        return instructor.Instructor(
            client=self._client,
            create=instructor.patch(create=unconstrained, mode=self.mode),
            mode=self.mode,
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None:
            return min(after, self.max_wait)
        return float(wait_exponential(multiplier=1, min=1, max=self.max_wait)(state))

    def extract(
        self,
        response_model: type[T],
        messages: list[dict[str, str]],
        *,
        context: dict[str, Any] | None = None,
        reasks: int = 2,
        max_tokens: int = 800,
        temperature: float = 0.0,
    ) -> Extraction[T]:
        """Ask for ``response_model``; re-ask at most ``reasks`` times when validation fails.

        Raises:
            TransportError: the endpoint stayed unreachable or kept failing.
            ModelError: the answer is unusable (refused request, truncated, not JSON, empty).
        """
        usage = Usage()
        client = self._instructor()

        def on_response(response: Any) -> None:
            usage.attempts += 1
            if getattr(response, "usage", None) is not None:
                usage.tokens_in += response.usage.prompt_tokens or 0
                usage.tokens_out += response.usage.completion_tokens or 0

        def on_error(error: Exception, **_: Any) -> None:
            if not isinstance(error, ValidationError | json.JSONDecodeError):
                usage.attempts += 1

        client.on("completion:response", on_response)
        client.on("completion:error", on_error)
        started = time.monotonic()
        last_completion: Any = None
        try:
            for attempt in Retrying(
                stop=stop_after_attempt(self.transport_attempts),
                wait=self._wait,
                retry=retry_if_exception(_is_transient),
                reraise=True,
            ):
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        usage.transport_retries += 1
                    try:
                        value = client.chat.completions.create(
                            model=self.model,
                            messages=messages,  # type: ignore[arg-type]
                            response_model=response_model,
                            context=context,
                            max_retries=reasks,
                            max_tokens=max_tokens,
                            temperature=temperature,
                        )
                        return Extraction(value=value, usage=usage)
                    except InstructorRetryException as err:
                        cause = err.__cause__
                        if isinstance(cause, openai.APIError | IncompleteOutputException):
                            raise cause from None
                        last_completion = err.last_completion
                        attempts = err.failed_attempts or []
                        errors = _messages(attempts[-1].exception) if attempts else []
                        kept = self._keep_last(response_model, last_completion)
                        if kept is None:
                            raise ModelError(_first_line(errors) or "no usable answer") from err
                        return Extraction(value=kept, usage=usage, errors=errors)
        except openai.APIStatusError as err:
            if _is_transient(err):
                raise TransportError(
                    f"the endpoint kept failing (HTTP {err.status_code}) after "
                    f"{self.transport_attempts} attempts"
                ) from None
            if err.status_code in (401, 403):
                raise ConfigError(
                    f"the endpoint refused the credentials (HTTP {err.status_code})",
                    hint="check OPENAI_API_KEY",
                ) from None
            raise ModelError(f"the endpoint refused the request (HTTP {err.status_code})") from None
        except openai.APITimeoutError:
            raise TransportError(
                f"the endpoint timed out {self.transport_attempts} times"
            ) from None
        except openai.APIConnectionError:
            raise TransportError(
                f"cannot reach the endpoint at {self.base_url}",
                hint="is the server running? check OPENAI_BASE_URL",
            ) from None
        except IncompleteOutputException:
            raise ModelError(f"the answer was cut off at max_tokens={max_tokens}") from None
        except (InstructorError, ValidationError, ValueError) as err:
            raise ModelError(f"unusable answer: {_first_line([str(err)])}") from None
        finally:
            usage.seconds = time.monotonic() - started
        raise ModelError("no answer")  # pragma: no cover - Retrying either returns or raises

    def label_headings(self, messages: list[dict[str, str]], count: int) -> Extraction[PartLabels]:
        """Ask which statutory part each of ``count`` headings names (one short request).

        Raises:
            TransportError / ModelError: as :meth:`extract`.
        """
        return self.extract(
            PartLabels, messages, context={"count": count}, reasks=1, max_tokens=40 + 12 * count
        )

    def choose_indicator(
        self, messages: list[dict[str, str]], candidates: list[str]
    ) -> Extraction[IndicatorChoice]:
        """Ask which of ``candidates`` a clause's figure counts (one short request).

        Raises:
            TransportError / ModelError: as :meth:`extract`.
        """
        return self.extract(
            IndicatorChoice, messages, context={"candidates": candidates}, reasks=1, max_tokens=40
        )

    @staticmethod
    def _keep_last(response_model: type[T], completion: Any) -> T | None:
        """Parse the last answer without source checks (no context), or None if it is not JSON."""
        try:
            content = completion.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):  # not a chat completion at all
            return None
        text = bare_json(content)
        try:
            return response_model.model_validate_json(text)
        except ValidationError:
            return None


_FENCE = re.compile(r"^```[a-zA-Z]*[ \t]*\n?|\n?```$")


def bare_json(text: str) -> str:
    """A free answer as the JSON it holds: a Markdown code fence around it removed (models
    asked for JSON in the prompt often add one); anything else is left to the parser."""
    text = text.strip()
    return _FENCE.sub("", text).strip() if text.startswith("```") else text


def _messages(exc: BaseException) -> list[str]:
    """The validator's own messages, without pydantic's framing."""
    if isinstance(exc, ValidationError):
        return [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
    return [_first_line([str(exc)])]


def _first_line(messages: list[str]) -> str:
    for message in messages:
        for line in message.splitlines():
            if line.strip():
                return line.strip()[:300]
    return ""
