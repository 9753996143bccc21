"""The prompt coach's rules: what may be sent to the language model, what is asked of it, and how its answer
is read. Nothing here talks to the model or stores anything; prompts and answers are never stored."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from bot.domain.catalog_files import CatalogError, read_yaml
from bot.domain.errors import UserError
from bot.domain.privacy import check_no_personal_data, clean_text
from config import CONFIG_DIR

MAX_PROMPT_LENGTH = 4000
MAX_IMPROVEMENTS = 3
# What is shown of the model's texts at most (a Block Kit section holds 3000 characters).
MAX_GOOD_LENGTH = 600
MAX_IMPROVEMENT_LENGTH = 400
MAX_IMPROVED_PROMPT_LENGTH = 2500
# A name shorter than this is too likely an ordinary word to refuse a prompt for.
MIN_NAME_LENGTH = 3


class Technique(StrEnum):
    """The prompting techniques the coach names its improvements after (the learning modules teach them)."""

    ROLE = "role"
    CONTEXT = "context"
    EXAMPLES = "examples"
    FORMAT = "format"
    STEPS = "steps"
    CONSTRAINTS = "constraints"


class Unavailable(StrEnum):
    """Why there is no answer: each is a message the person reads."""

    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"  # the endpoint answered with an error (a wrong key or model, its own failure)
    MALFORMED = "malformed"  # it answered, but not with a chat completion


class Improvement(NamedTuple):
    technique: Technique
    text: str


@dataclass(frozen=True)
class Advice:
    """The coach's answer: what is good, up to three named improvements, and an improved prompt to copy."""

    good: str
    improvements: tuple[Improvement, ...]
    improved_prompt: str


class MalformedAdvice(ValueError):
    """The model answered, but not in the agreed shape."""


def parse_prompt(text: str) -> str:
    """The prompt as typed, or a refusal: empty, or longer than the coach takes."""
    prompt = clean_text(text).strip()
    if not prompt:
        raise UserError("coach.error.empty", example="example.coach")
    if len(prompt) > MAX_PROMPT_LENGTH:
        raise UserError("coach.error.too_long", max=MAX_PROMPT_LENGTH, length=len(prompt))
    return prompt


def check_may_leave(prompt: str, blocked_terms: Iterable[str], colleague_names: Iterable[str] = ()) -> None:
    """Refuses a prompt that must not leave the company: personal data (the same detectors as notes and tips),
    a term the company listed, or the name of a colleague the bot knows from the workspace."""
    check_no_personal_data(prompt)
    if _MENTION.search(prompt):
        raise UserError("coach.error.mention")
    term = first_mention(prompt, blocked_terms)
    if term is not None:
        raise UserError("coach.error.blocked_term", term=term)
    name = first_mention(prompt, colleague_names)
    if name is not None:
        raise UserError("coach.error.colleague_name", name=name)


# A mention of a person as Slack writes it in a message (`<@U0123>`); a typed `@anna.schmidt` is caught by
# the names of the workspace's people.
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def load_blocked_terms(path: Path = CONFIG_DIR / "coach_terms.yaml") -> tuple[str, ...]:
    """The company's words that must never leave (config/coach_terms.yaml); an empty list is allowed."""
    raw = read_yaml(path).get("terms")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogError(f"{path}: field 'terms' must be a list")
    terms = []
    for index, term in enumerate(raw):
        text = " ".join(str(term if term is not None else "").split())
        if len(text) < MIN_NAME_LENGTH:
            raise CatalogError(f"{path}: terms[{index}] must be a word of at least {MIN_NAME_LENGTH} characters")
        terms.append(text)
    return tuple(terms)


def first_mention(text: str, words: Iterable[str]) -> str | None:
    """The first of `words` that `text` mentions as a whole word (any case), as listed; None if none does."""
    folded = text.casefold()
    for word in words:
        wanted = word.strip().casefold()
        if len(wanted) < MIN_NAME_LENGTH:
            continue
        if re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
            return word.strip()
    return None


def names_of(real_name: str | None, display_name: str | None) -> set[str]:
    """What of a colleague's Slack profile counts as their name: the full name, the display name and the
    family name (the last word of the full name). A first name alone is not refused: too many are ordinary
    words ("Mark", "Frank", "Will")."""
    names: set[str] = set()
    for name in (real_name, display_name):
        if name and name.strip():
            names.add(" ".join(name.split()))
    if real_name and len(real_name.split()) > 1:
        names.add(real_name.split()[-1])
    return {name for name in names if len(name) >= MIN_NAME_LENGTH and not name.startswith("@")}


LANGUAGE_NAMES = {"de": "German", "en": "English"}

SYSTEM_PROMPT = """You are a prompt coach for employees who use AI assistants at work.
You receive one prompt that a person wrote. Do not carry out the prompt. Judge how well it is written and
help the person write it better, using these techniques: role (who the AI should be), context (background
the AI needs), examples (a sample of the wanted result), format (the shape of the answer), steps (asking for
step-by-step work), constraints (length, tone, what to avoid).
Answer only with a JSON object, without any other text, of this form:
{"good": "<one or two sentences on what is already good>",
 "improvements": [{"technique": "<one of: role, context, examples, format, steps, constraints>",
                   "text": "<a concrete suggestion for this prompt>"}],
 "improved_prompt": "<the whole improved prompt, ready to copy>"}
Give at most three improvements, the most useful first. Write every text in %(language)s, in a friendly,
short tone, addressing the person directly. Keep placeholders like [Kunde] where details are missing; never
invent names, e-mail addresses or other personal data."""


def chat_messages(prompt: str, language: str) -> list[dict[str, str]]:
    """The request to an OpenAI-compatible chat-completions endpoint: the instructions, then the prompt."""
    system = SYSTEM_PROMPT % {"language": LANGUAGE_NAMES.get(language, "German")}
    return [{"role": "system", "content": system}, {"role": "user", "content": prompt}]


_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def parse_advice(content: str) -> Advice:
    """The model's answer read into `Advice`. Models often wrap JSON in a code fence or add a sentence around
    it: the outermost object is taken. Improvements with an unknown technique or no text are left out."""
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise MalformedAdvice("no JSON object")
    try:
        data = json.loads(text[start : end + 1])
    except json.JSONDecodeError as error:
        raise MalformedAdvice(f"not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise MalformedAdvice("not an object")
    good = _text(data.get("good"), MAX_GOOD_LENGTH)
    improved = _text(data.get("improved_prompt"), MAX_IMPROVED_PROMPT_LENGTH)
    if not good or not improved:
        raise MalformedAdvice("'good' or 'improved_prompt' missing")
    improvements = []
    for entry in data.get("improvements") or []:
        if not isinstance(entry, dict):
            continue
        technique = _technique(entry.get("technique"))
        suggestion = _text(entry.get("text"), MAX_IMPROVEMENT_LENGTH)
        if technique is not None and suggestion:
            improvements.append(Improvement(technique, suggestion))
    return Advice(good, tuple(improvements[:MAX_IMPROVEMENTS]), improved)


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    text = clean_text(value).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _technique(value: Any) -> Technique | None:
    word = str(value or "").strip().lower().replace("-", " ").replace("_", " ")
    aliases = {"step by step": "steps", "step": "steps", "example": "examples", "constraint": "constraints"}
    try:
        return Technique(aliases.get(word, word))
    except ValueError:
        return None
