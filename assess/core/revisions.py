"""Saving an answer that others may have changed since the sender saw it: what to write, or the conflict.

Every stored answer has a revision (0 while nothing is stored). A sender states the revision it
was shown (its base) and the answer it wants; `merge` compares the parts of the answer (value,
reason, note, evidence) three ways, base against the sender's and against what is stored now:

- a part only the sender changed takes the sender's text;
- a part only someone else changed keeps theirs;
- a part both changed, to different texts, is a conflict, and then nothing of that question is
  written: the person settles it (keep theirs, use mine, or for texts keep both).

So a change that was saved without a conflict can only be replaced by someone who had seen it.

A profile fact has one part, its value, and no revision number: a page carries each value's
fingerprint (`value_token`) as it showed it, and the same three-way rule decides (`fact_merge`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assess.core.answers import NOT_APPLICABLE, Answer

PARTS = ("value", "reason", "note", "evidence")

EMPTY = Answer(None)

WRITE, KEEP, CONFLICT = "write", "keep", "conflict"


def value_token(value: Any) -> str:
    """Return a short fingerprint of a value as a page shows it (None or empty: nothing shown)."""
    canonical = json.dumps(None if value in (None, "", []) else value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def fact_merge(seen: str | None, mine: Any, now: Any) -> str:
    """Return what to do with a fact the sender posts as `mine`, having been shown the value whose
    token is `seen` (None: a post that carries none, written as before), while `now` is shown today.

    WRITE when nobody changed it since (or the sender agrees with the change); KEEP when only someone
    else changed it (theirs stays); CONFLICT when both changed it to different values.
    """
    if seen is None or value_token(now) == seen:
        return WRITE
    if value_token(mine) in (seen, value_token(now)):
        return KEEP
    return CONFLICT


def changed_parts(before: Answer, after: Answer) -> frozenset[str]:
    """Return the names of the parts that differ between two versions."""
    return frozenset(p for p in PARTS if getattr(before, p) != getattr(after, p))


@dataclass(frozen=True)
class Merged:
    """The outcome of a save: the answer to write (None: nothing to write), or the parts in conflict."""

    answer: Answer | None
    conflicts: frozenset[str] = frozenset()

    @property
    def conflicted(self) -> bool:
        return bool(self.conflicts)


def merge(
    base: Answer,
    current: Answer,
    mine: Answer,
    touched: Iterable[str] | None = None,
    theirs_touched: Iterable[str] | None = None,
) -> Merged:
    """Return what a save writes: `mine` against the `base` it was made from and what is `current`.

    `touched` limits the parts the sender may have set (the inputs it sent; by default all): of
    those, the ones where `mine` differs from `base` are the sender's changes;
    `theirs_touched` the parts others changed since the base (by default, those where `current`
    differs from `base`; pass the parts changed by any version in between, so a part changed and
    changed back still counts as changed).
    The merged answer keeps the rule that only a not-applicable answer carries a reason; a merge
    that would leave "not applicable" without a reason is a conflict on the reason.
    """
    mine_changed = changed_parts(base, mine) if touched is None else changed_parts(base, mine) & frozenset(touched)
    theirs_changed = changed_parts(base, current) if theirs_touched is None else frozenset(theirs_touched)
    conflicts = frozenset(p for p in mine_changed & theirs_changed if getattr(mine, p) != getattr(current, p))
    if conflicts:
        return Merged(None, conflicts)
    merged = {p: getattr(mine if p in mine_changed else current, p) for p in PARTS}
    if merged["value"] != NOT_APPLICABLE:
        merged["reason"] = ""
    elif not str(merged["reason"]).strip():
        return Merged(None, frozenset({"reason"}))
    answer = Answer(**merged)  # type: ignore[arg-type]
    return Merged(None if answer == current.plain() else answer)


def changed_between(versions: Iterable[Answer]) -> frozenset[str]:
    """Return the parts any version changed from the one before it (the versions in order, oldest first)."""
    changed: set[str] = set()
    previous: Answer | None = None
    for version in versions:
        if previous is not None:
            changed |= changed_parts(previous, version)
        previous = version
    return frozenset(changed)


def keep_both(mine: str, theirs: str) -> str:
    """Return two versions of a note or evidence kept one after the other (theirs first)."""
    mine, theirs = mine.strip(), theirs.strip()
    if not mine or mine == theirs:
        return theirs
    if not theirs or mine.startswith(theirs):
        return mine
    return f"{theirs}\n\n{mine}"
