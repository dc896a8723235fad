"""Letter wording as data: TOML files under resources/letters/, filled with plain values."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from counsellor_app.domain.errors import DomainError
from counsellor_app.domain.participant import LetterFormat
from counsellor_app.letters.resources import letters_dir

TEMPLATE_FILES = (
    "common",
    "result",
    "additional-findings",
    "collaboration",
    "trial",
    "sample",
    "consent-confirmation",
    "gp-cover",
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class TemplateError(DomainError):
    """The letter wording files are incomplete or refer to a value the program does not know."""


@dataclass(frozen=True, slots=True)
class Wording:
    """One template file's section for one format, with values filled in on request."""

    kind: str
    data: Mapping[str, object]
    fallback: Mapping[str, object] | None = None

    def has(self, key: str) -> bool:
        return self._lookup(key) is not None

    def text(self, key: str, values: Mapping[str, str]) -> str:
        raw = self._lookup(key)
        if not isinstance(raw, str):
            raise TemplateError(self._missing(key))
        return fill(raw, values, where=f"{self.kind}:{key}")

    def raw(self, key: str) -> str:
        """The text as written, placeholders left for the caller (e.g. page numbers)."""
        raw = self._lookup(key)
        if not isinstance(raw, str):
            raise TemplateError(self._missing(key))
        return raw

    def lines(self, key: str, values: Mapping[str, str]) -> tuple[str, ...]:
        raw = self._lookup(key)
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise TemplateError(self._missing(key))
        return tuple(fill(item, values, where=f"{self.kind}:{key}") for item in raw)

    def _lookup(self, key: str) -> object | None:
        for source in (self.data, self.fallback):
            node: object = source
            for part in key.split("."):
                if not isinstance(node, Mapping) or part not in node:
                    node = None
                    break
                node = node[part]
            if node is not None:
                return node
        return None

    def _missing(self, key: str) -> str:
        return (
            f"The letter wording file '{self.kind}.toml' has no text for '{key}'. "
            "Add it to the templates and try again."
        )


def fill(text: str, values: Mapping[str, str], *, where: str = "template") -> str:
    """Replace each ``{name}`` once with its value; values are never scanned again."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise TemplateError(
                f"The letter wording at '{where}' uses '{{{name}}}', which the program does not "
                "fill in. Correct the template and try again."
            )
        return values[name]

    return _PLACEHOLDER.sub(replace, text)


class TemplateSet:
    """All wording files, parsed once; the renderer takes one of these in its constructor."""

    def __init__(self, files: Mapping[str, Mapping[str, object]]) -> None:
        missing = [name for name in TEMPLATE_FILES if name not in files]
        if missing:
            raise TemplateError(
                f"Letter wording files are missing: {', '.join(missing)}. Reinstall the app."
            )
        self._files = dict(files)

    @classmethod
    def load(cls, folder: Path | None = None) -> TemplateSet:
        folder = folder or letters_dir()
        files: dict[str, Mapping[str, object]] = {}
        for name in TEMPLATE_FILES:
            path = folder / f"{name}.toml"
            try:
                with path.open("rb") as handle:
                    files[name] = tomllib.load(handle)
            except FileNotFoundError:
                continue
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise TemplateError(
                    f"The letter wording file {path.name} could not be read ({exc}). "
                    "Correct it and try again."
                ) from exc
        return cls(files)

    def wording(self, name: str, letter_format: LetterFormat) -> Wording:
        """The section of ``name`` for a format: easy read has its own; large print may
        override single keys and otherwise uses the standard wording (same content)."""
        data = self._files[name]
        standard = _section(data, "standard", name)
        if letter_format is LetterFormat.EASY_READ:
            return Wording(name, _section(data, "easy_read", name))
        if letter_format is LetterFormat.LARGE_PRINT and isinstance(data.get("large_print"), dict):
            return Wording(name, _section(data, "large_print", name), fallback=standard)
        return Wording(name, standard)


def _section(data: Mapping[str, object], key: str, name: str) -> Mapping[str, object]:
    section = data.get(key)
    if not isinstance(section, Mapping):
        raise TemplateError(
            f"The letter wording file '{name}.toml' has no [{key}] section. Add it and try again."
        )
    return section
