"""Statements about the organization's practice: the truth rules applied while a template renders.

A template writes each statement in a call block that names the practices it rests on::

    {% call statement("10002-8.4-b") %}A sample of closed complaint files is checked every month.
    {{ instead }}We will check a sample of closed complaint files every month.{% endcall %}

    {% call commitment("10002-4.11-b") %}You will not be treated less well because you complained.{% endcall %}

`statement` is a *fact*: it is written as it stands only when every practice is in place (at or
above the assessment's target). Otherwise its commitment form (after ``{{ instead }}``) is written,
followed by the due date and owner of the practice's action in the action plan, or the statement
is left out, as the document's ``unproven`` profile fact chooses. `commitment` is what the
organization undertakes: written as it stands when its practices are in place, with the action's
date and owner when they are not, or left out. A practice marked not applicable is never written
about. ``claim="edr.free"`` ties a statement to a side of `assess.core.truth.CONSISTENCY`: it is
left out when the data makes a claim paired with it (a contradiction the readiness list shows).
``says("edr.free")`` tells a template whether the data makes a claim and nothing contradicts it.

Each statement's text starts with a private marker that the tree step (`tree.py`) turns into the
``statements`` attribute of the block holding it, so the writers know which practices a paragraph,
list item or table cell rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from assess.core.truth import (
    COMMITMENT,
    FACT,
    LEFT_OUT,
    OMIT,
    WRITTEN_AS_COMMITMENT,
    WRITTEN_AS_FACT,
    contradicted,
    facts_of,
    may_say,
)
from assess.core.vocabulary import join_words, long_date
from assess.documents.errors import DocumentError
from assess.documents.facts import FactReader
from assess.documents.practices import (
    BELOW_TARGET,
    DONT_KNOW,
    NOT_ANSWERED,
    NOT_APPLICABLE_STATUS,
    NOT_ASKED,
    PracticeBook,
    PracticeStatus,
)
from assess.documents.text import (
    DUE_MARK,
    INSTEAD,
    LEFT_OUT_MARK,
    STATEMENT_CLOSE,
    STATEMENT_OPEN,
    escape_markdown,
    placeholder,
)

UNCONFIRMED = frozenset({DONT_KNOW, NOT_ANSWERED, NOT_ASKED})
"""Statuses that say nothing is known about a practice, rather than that it falls short."""
STATEMENT_MARK = re.compile(f"{STATEMENT_OPEN}(\\d+){STATEMENT_CLOSE}")

DUE_ONE = "This will be in place by"
DUE_MANY = "These will be in place by"
CONFIRMING = "We are confirming that this is in place."
CONFIRMING_MANY = "We are confirming that these are in place."
CONFIRMING_INSIDE = "being confirmed"
NO_DATE = "[due date from the action plan]"
NO_OWNER = "[action owner]"


@dataclass(frozen=True)
class Statement:
    """One statement a template made, and what the document wrote.

    `kind` is what the template wrote it as (FACT or COMMITMENT); `written` is WRITTEN_AS_FACT,
    WRITTEN_AS_COMMITMENT or LEFT_OUT; `unproven` the practices not in place; `reason` says why a
    statement was rewritten or left out; `fact_form` and `commitment_form` are its two texts as
    Markdown (the fact form is empty for a commitment); `due` and `owner` come from the action plan.
    """

    number: int
    practices: tuple[str, ...]
    kind: str
    written: str
    unproven: tuple[str, ...]
    reason: str
    fact_form: str
    commitment_form: str
    due: str = ""
    owner: str = ""

    @property
    def due_text(self) -> str:
        """Return the due date as the documents print it ("31 March 2027"), or ""."""
        return long_date(dt.date.fromisoformat(self.due)) if self.due else ""

    @property
    def rewritten(self) -> bool:
        """Return whether a fact was written as a commitment."""
        return self.kind == FACT and self.written == WRITTEN_AS_COMMITMENT


def _one_block(text: str, practices: str) -> str:
    body = text.strip()
    if "\n" not in body:
        return body
    if re.search(r"\n\s*\n", body):
        raise DocumentError(f"statement({practices!r}): a statement must be one paragraph, list item or cell")
    return re.sub(r"\s*\n\s*", " ", body)


class StatementBook:
    """Applies the truth rules to one rendering and remembers every statement it wrote or left out."""

    def __init__(self, book: PracticeBook, facts: FactReader, unproven: str, today: dt.date):
        self.book = book
        self.facts = facts
        self.omit = unproven == OMIT
        self.today = today
        self.statements: list[Statement] = []
        self._values = facts.effective()
        self.unplanned: dict[str, PracticeStatus] = {}

    # --- what the templates call ---------------------------------------------------------------

    def statement(self, practices: str, caller: Callable[[], str], claim: str = "") -> str:
        """Return a fact's Markdown as the truth rules allow it (a call block's body)."""
        return self._written(FACT, practices, caller, claim)

    def commitment(self, practices: str, caller: Callable[[], str], claim: str = "") -> str:
        """Return a commitment's Markdown as the truth rules allow it (a call block's body)."""
        return self._written(COMMITMENT, practices, caller, claim)

    def _written(self, kind: str, practices: str, caller: Callable[[], str], claim: str) -> str:
        # The body holds both forms; a fact missing only from the form not written is not missing.
        before, shown = set(self.facts.missing), set(self.facts.shown)
        text = self._write(kind, practices, caller(), claim)
        for fact_id in set(self.facts.missing) - before:
            if placeholder(self.facts.fact(fact_id).placeholder_text) not in text:
                del self.facts.missing[fact_id]
                if fact_id not in shown:
                    self.facts.shown.discard(fact_id)
        return text

    def says(self, claim: str) -> bool:
        """Return whether the documents may make a claim of the consistency table (the facts that
        decide it count as read by the template)."""
        try:
            self.facts.used(facts_of(claim))
            return may_say(claim, self._values, self.book.in_place)
        except KeyError:
            raise DocumentError(f"unknown claim {claim!r} (see assess/core/truth.py)") from None

    def _contradicted(self, claim: str) -> bool:
        try:
            self.facts.used(facts_of(claim))
            return contradicted(claim, self._values, self.book.in_place)
        except KeyError:
            raise DocumentError(f"unknown claim {claim!r} (see assess/core/truth.py)") from None

    # --- the rules -------------------------------------------------------------------------------

    def _statuses(self, practices: str) -> list[PracticeStatus]:
        ids = practices.split()
        if not ids:
            raise DocumentError("a statement must name at least one practice")
        statuses = []
        for question_id in ids:
            try:
                statuses.append(self.book.status(question_id))
            except KeyError:
                raise DocumentError(f"practice {question_id!r} is not a question of any questionnaire") from None
        return statuses

    def _write(self, kind: str, practices: str, body: str, claim: str) -> str:
        statuses = self._statuses(practices)
        if kind == FACT:
            fact_form, sep, commitment_form = body.partition(INSTEAD)
            if not sep:
                raise DocumentError(f"statement({practices!r}) needs its commitment form after {{{{ instead }}}}")
        else:
            fact_form, commitment_form = "", body
            if INSTEAD in body:
                raise DocumentError(f"commitment({practices!r}) has one form only: use statement() for two")
        fact_form = _one_block(fact_form, practices) if kind == FACT else ""
        commitment_form = _one_block(commitment_form, practices)
        unproven = [s for s in statuses if not s.in_place]
        blocked = [c for c in claim.split() if self._contradicted(c)]
        due = owner = ""
        if blocked:
            written, reason = LEFT_OUT, f"left out: the profile and answers contradict {join_words(blocked)}"
        elif any(s.status == NOT_APPLICABLE_STATUS for s in statuses):
            na = [s.question for s in statuses if s.status == NOT_APPLICABLE_STATUS]
            written, reason = LEFT_OUT, f"left out: {join_words(na)} marked not applicable"
        elif not unproven:
            written, reason = (WRITTEN_AS_FACT if kind == FACT else WRITTEN_AS_COMMITMENT), ""
        elif self.omit:
            written, reason = LEFT_OUT, f"left out: {self._why(unproven)}"
        else:
            written = WRITTEN_AS_COMMITMENT
            reason = ("written as a commitment: " if kind == FACT else "commitment not yet met: ") + self._why(unproven)
            due, owner = self._plan(unproven)
        number = len(self.statements)
        self.statements.append(
            Statement(
                number=number,
                practices=tuple(s.question for s in statuses),
                kind=kind,
                written=written,
                unproven=tuple(s.question for s in unproven),
                reason=reason,
                fact_form=fact_form,
                commitment_form=commitment_form,
                due=due,
                owner=owner,
            )
        )
        if written == LEFT_OUT:
            return LEFT_OUT_MARK
        text = fact_form if written == WRITTEN_AS_FACT else commitment_form
        if written == WRITTEN_AS_COMMITMENT and unproven:
            if text.endswith(":"):
                text = f"{text[:-1]} {self._note(unproven, due, owner, inside=True)}".rstrip() + ":"
            else:
                text = f"{text} {self._note(unproven, due, owner)}".rstrip()
        return f"{STATEMENT_OPEN}{number}{STATEMENT_CLOSE}{text}"

    @staticmethod
    def _why(unproven: list[PracticeStatus]) -> str:
        return "; ".join(f"{s.question} {s.finding()}" for s in unproven)

    def _plan(self, unproven: list[PracticeStatus]) -> tuple[str, str]:
        """Return the latest due date and the owners of the practices' actions not yet done, each
        the action the gap report shows (`PracticeBook.pending_action`); either may be ""."""
        dues, owners = [], []
        for status in unproven:
            action = self.book.pending_action(status.question)
            if (action is None or not (action.due and action.owner.strip())) and status.status == BELOW_TARGET:
                self.unplanned.setdefault(status.question, status)
            if action is not None and action.due:
                dues.append(action.due)
            if action is not None and action.owner.strip():
                owners.append(action.owner.strip())
        return (max(dues) if dues else ""), join_words(list(dict.fromkeys(owners)))

    def _note(self, unproven: list[PracticeStatus], due: str, owner: str, inside: bool = False) -> str:
        """Return the sentence saying when a commitment will be met and who is responsible (in
        brackets when `inside` a sentence that goes on), or "" when its standard was never assessed:
        the cover says so once for the whole document."""
        if not any(s.assessed for s in unproven):
            return ""
        if not due and not owner and all(s.status in UNCONFIRMED for s in unproven):
            # not found wanting, only not confirmed: there is no gap to plan an action for
            return f"*{DUE_MARK}{CONFIRMING}*" if not inside else f"*{DUE_MARK}\\({CONFIRMING_INSIDE}\\)*"
        when = escape_markdown(long_date(dt.date.fromisoformat(due))) if due else placeholder(NO_DATE)
        who = escape_markdown(owner) if owner else placeholder(NO_OWNER)
        if inside:
            return f"*{DUE_MARK}\\(in place by {when}; responsible: {who}\\)*"
        return f"*{DUE_MARK}{DUE_ONE} {when}; responsible: {who}.*"

    # --- what readiness reports ------------------------------------------------------------------

    def rewritten(self) -> tuple[Statement, ...]:
        """Return the facts written as commitments, in document order."""
        return tuple(s for s in self.statements if s.rewritten)

    def left_out(self) -> tuple[Statement, ...]:
        """Return the statements left out, in document order."""
        return tuple(s for s in self.statements if s.written == LEFT_OUT)
