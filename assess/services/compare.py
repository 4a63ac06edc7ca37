"""Which rounds of an organization to compare."""

from __future__ import annotations

from collections.abc import Sequence

from assess.store.answers import AssessmentRow


def rounds_of(rows: Sequence[AssessmentRow], questionnaire: str) -> list[AssessmentRow]:
    """Return the rounds of one questionnaire, oldest first."""
    return [r for r in rows if r.questionnaire == questionnaire]


def pair_for(
    rows: Sequence[AssessmentRow], row: AssessmentRow | None = None
) -> tuple[AssessmentRow, AssessmentRow] | None:
    """Return the (earlier, later) rounds to compare: `row` with the round before it (or after it,
    for a first round), or without `row` the two latest rounds of the questionnaire assessed last;
    None when there is no second round."""
    if row is not None:
        rounds = rounds_of(rows, row.questionnaire)
        if len(rounds) < 2:
            return None
        at = rounds.index(row)
        return (rounds[at - 1], row) if at > 0 else (row, rounds[1])
    for latest in reversed(rows):
        rounds = rounds_of(rows, latest.questionnaire)
        if len(rounds) >= 2:
            return rounds[-2], rounds[-1]
    return None
