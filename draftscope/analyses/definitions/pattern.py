"""``--definition PATTERN`` (library ``definition=``/``pattern=``): one meaning everywhere.

A pattern is a regular expression, case-sensitive unless ``ignore_case``, *searched* (not
anchored: ``^`` and ``$`` anchor) in each of a definition's names:

- its name in a revision (``ACK Frame``, ``Long Header Packet``),
- its figure caption, when it has one (``Figure 7: ...`` without ``Figure 7:``),
- along a lineage, its history key (the name it has where it last appears), so a pattern for
  today's name finds the definition in revisions that called it otherwise.

``draw``, ``story``, ``history``, ``diff`` and ``plot-definitions`` all match through
:class:`DefinitionPattern`, compiled once per command, and all say "no definition matches" with
:meth:`DefinitionPattern.no_match`. A user's pattern is untrusted: it runs on the ``regex``
engine with a time limit per search, so a pattern that backtracks catastrophically
(``(a+)+$``) is an input error after :data:`SEARCH_TIMEOUT_S`, not a hang.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from draftscope.errors import DefinitionsInputError, NoDataError

SEARCH_TIMEOUT_S = 0.25     # one search of one name; names are short, so any honest pattern is
                            # done in microseconds
HINT = "the pattern is case-sensitive, -i ignores case"


class DefinitionPattern:
    """A compiled ``--definition`` pattern (see the module docstring for what it matches)."""

    def __init__(self, pattern: str, *, ignore_case: bool = False) -> None:
        import regex

        if not isinstance(pattern, str):
            raise TypeError(f"definition= must be a str (a regular expression), not "
                            f"{type(pattern).__name__}")
        self.pattern = pattern
        self.ignore_case = bool(ignore_case)
        try:
            self._regex = regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignore_case else 0))
        except (regex.error, ValueError, OverflowError) as exc:
            raise DefinitionsInputError(f"--definition {pattern!r} is not a valid pattern: "
                                        f"{exc}") from None
        self._folded: DefinitionPattern | None = self if ignore_case else None

    def __repr__(self) -> str:
        return f"DefinitionPattern({self.pattern!r}, ignore_case={self.ignore_case})"

    def search(self, text: str) -> bool:
        """Whether the pattern occurs in ``text`` (guarded by :data:`SEARCH_TIMEOUT_S`)."""
        if not text:
            return False
        try:
            return self._regex.search(text, timeout=SEARCH_TIMEOUT_S) is not None
        except TimeoutError:
            raise DefinitionsInputError(
                f"--definition {self.pattern!r} takes too long to match {text[:40]!r} (more than "
                f"{SEARCH_TIMEOUT_S:g} s: nested repetition such as (a+)+ backtracks); simplify "
                "it") from None

    def matches(self, *names: str) -> bool:
        """Whether the pattern occurs in any of ``names`` (a definition's name, caption, key)."""
        return any(self.search(n) for n in names if n)

    def matches_definition(self, definition: Any) -> bool:
        """A :class:`Definition` by its name or caption."""
        return self.matches(definition.name, definition.caption)

    def matching_keys(self, names: Iterable[tuple[Any, ...]]) -> set[Any]:
        """The keys of the ``(key, name, caption...)`` rows the pattern finds (in the key or in
        any of the names that follow it)."""
        found: set[Any] = set()
        for key, *others in names:
            if key in found:
                continue
            if self.matches(str(key), *(str(o) for o in others if o)):
                found.add(key)
        return found

    def folded(self) -> "DefinitionPattern":
        """The same pattern ignoring case (for the -i hint)."""
        if self._folded is None:
            self._folded = DefinitionPattern(self.pattern, ignore_case=True)
        return self._folded

    def no_match(self, where: str, *, would_match_ignoring_case: bool, within: str = "") -> NoDataError:
        """The one "no definition matches" error: ``where`` (the document or lineage), ``within``
        (what was searched: "in 36 revisions (a .. b)", " (it has 3: A, B, C)"), the -i hint
        only when ignoring case would have found something."""
        return NoDataError(f"{where + ': ' if where else ''}no definition matches --definition "
                           f"{self.pattern!r}{within}"
                           + (f"; {HINT}" if would_match_ignoring_case and not self.ignore_case
                              else ""))


def definition_pattern(pattern: "str | DefinitionPattern", *, ignore_case: bool = False,
                       ) -> DefinitionPattern:
    """``pattern`` compiled once (a :class:`DefinitionPattern` is passed through as it is)."""
    if isinstance(pattern, DefinitionPattern):
        return pattern
    return DefinitionPattern(pattern, ignore_case=ignore_case)


def revisions_text(labels: list[str]) -> str:
    """``"15 revisions (draft-x-00 .. rfc8999)"``, ``"1 revision (draft-x-05)"``, ``"no revisions"``."""
    if not labels:
        return "no revisions"
    if len(labels) == 1:
        return f"1 revision ({labels[0]})"
    return f"{len(labels)} revisions ({labels[0]} .. {labels[-1]})"
