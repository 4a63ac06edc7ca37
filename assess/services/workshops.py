"""Workshops: which questions a room rates, how it rated them, joining, and recording a consensus."""

from __future__ import annotations

from dataclasses import dataclass

from assess.core import accounts
from assess.core.answers import Value, values_of
from assess.core.limits import wait_words
from assess.core.questionnaire import Question, Questionnaire
from assess.core.scoring import visible_questions
from assess.core.workshop import (
    ANONYMOUS,
    DEFAULT_MAX_PARTICIPANTS,
    JOINS_PER_ADDRESS,
    JOINS_PER_WORKSHOP,
    WRONG_CODES_PER_ADDRESS,
    QuestionRoom,
    agreed_answer,
    consensus_block,
    new_join_code,
    normalize_join_code,
    spread_of,
)
from assess.services.limits import count_in_windows
from assess.store import answers, limits, workshops
from assess.store.answers import Edit, StoredAnswer
from assess.store.connection import Database, IntegrityError, now, transaction
from assess.store.workshops import ParticipantRow, ParticipantStanding, RatingRow, WorkshopRow

JOIN_CODE_TRIES = 5


class NoFreeJoinCode(RuntimeError):
    """Every join code drawn was taken (practically never)."""


def in_clauses(question: Question, clauses: list[str]) -> bool:
    """Return whether a question sits under one of the chosen clauses (every question when none are chosen)."""
    return not clauses or any(question.clause_ref == c or question.clause_ref.startswith(c + ".") for c in clauses)


def workshop_questions(db: Database, questionnaire: Questionnaire, workshop: WorkshopRow) -> list[Question]:
    """Return the questions of the workshop's clauses that the assessment's answers make visible."""
    visible = visible_questions(questionnaire, values_of(answers.get_answers(db, workshop.assessment_id)))
    return [q for q in questionnaire.questions if q.id in visible and in_clauses(q, workshop.clauses)]


def open_workshop(
    db: Database,
    org_id: int,
    assessment_id: int,
    clauses: list[str],
    author: str,
    max_participants: int = DEFAULT_MAX_PARTICIPANTS,
) -> int:
    """Open a workshop on the assessment with a fresh join code for at most `max_participants`; return
    its id. Raises NoFreeJoinCode."""
    for _ in range(JOIN_CODE_TRIES):
        try:
            return workshops.create_workshop(
                db, org_id, assessment_id, new_join_code(), clauses, author, max_participants
            )
        except IntegrityError:  # join code taken: draw again
            continue
    raise NoFreeJoinCode


@dataclass(frozen=True)
class Room:
    """What the room said so far: per question its spread and consensus, and the ratings by question."""

    rooms: list[QuestionRoom]
    ratings: dict[str, list[RatingRow]]


def room_state(db: Database, questionnaire: Questionnaire, workshop: WorkshopRow) -> Room:
    """Return how the room rated each of the workshop's questions and what it agreed."""
    by_question: dict[str, list[RatingRow]] = {}
    for rating in workshops.ratings_of(db, workshop.id):
        by_question.setdefault(rating.question_id, []).append(rating)
    consensus = workshops.consensus_of(db, workshop.id)
    rooms = [
        QuestionRoom(
            question=q,
            spread=spread_of(r.value for r in by_question.get(q.id, []) if r.value is not None),
            consensus=consensus[q.id].value if q.id in consensus else None,
        )
        for q in workshop_questions(db, questionnaire, workshop)
    ]
    return Room(rooms, by_question)


class ConsensusConflict(Exception):
    """Someone changed the answer's level (or reason) after the facilitator's page showed it."""

    def __init__(self, theirs: StoredAnswer):
        super().__init__(theirs.updated_by)
        self.theirs = theirs


def record_consensus(
    db: Database,
    workshop: WorkshopRow,
    question: Question,
    value: Value,
    reason: str,
    note: str,
    author: str,
    shown: int | None = None,
) -> None:
    """Record the room's agreed answer and make it the assessment's answer, in one transaction.

    The answer keeps its note and evidence; the note gains a dated block with the facilitator's
    note and the room's comments (attributed, or anonymous when names are hidden). A not-applicable
    answer's reason is the facilitator's own `reason`, never the participants' comments.

    `shown` is the revision of the answer the facilitator's page showed: when someone changed its
    level or reason since, nothing is recorded and ConsensusConflict says who and to what (the
    note never conflicts: the block is added to whatever the note is now).
    """
    hide = bool(workshop.hide_names)
    comments = [
        (ANONYMOUS if hide else r.display_name, r.comment)
        for r in workshops.ratings_of(db, workshop.id)
        if r.question_id == question.id
    ]
    block = consensus_block(now()[:10], author, note, comments)
    with transaction(db):
        existing = answers.get_answer(db, workshop.assessment_id, question.id)
        revision = 0 if existing is None else existing.revision
        if shown is not None and shown != revision:
            since = answers.changed_since(db, workshop.assessment_id, question.id, shown)
            if since is None or since & {"value", "reason"}:
                raise ConsensusConflict(existing or StoredAnswer(None))
        workshops.record_consensus(db, workshop.id, question.id, value, note or reason, author)
        answer = agreed_answer(existing, value, reason, block)
        edit = Edit(answer, base=revision, how="workshop consensus")
        answers.save_answers(db, workshop.assessment_id, {question.id: edit}, author)


@dataclass(frozen=True)
class ParticipantProgress:
    """One participant and how many of the workshop's questions they have rated."""

    participant: ParticipantRow
    rated: int


def participant_progress(db: Database, workshop: WorkshopRow, room: Room) -> list[ParticipantProgress]:
    """Return every participant still in the workshop with how many of its questions they rated."""
    asked = {r.question.id for r in room.rooms}
    rated: dict[int, int] = {}
    for ratings in room.ratings.values():
        for rating in ratings:
            if rating.value is not None and rating.question_id in asked:
                rated[rating.participant_id] = rated.get(rating.participant_id, 0) + 1
    return [ParticipantProgress(p, rated.get(p.id, 0)) for p in workshops.participants_of(db, workshop.id)]


def remove_participant(db: Database, workshop: WorkshopRow, participant_id: int) -> bool:
    """Remove a participant: their browser's token stops working and their ratings stop counting.

    Returns False when nobody of that id is in the workshop.
    """
    return workshops.remove_participant(db, workshop.id, participant_id)


def standing_of(db: Database, code: str, token: str) -> ParticipantStanding | None:
    """Return where the browser's participant token for workshop `code` stands (closed, removed, how much
    rated), or None when the token is not of that workshop."""
    standing = workshops.participant_standing(db, accounts.token_digest(token))
    return standing if standing is not None and standing.code == code else None


class JoinRefused(Exception):
    """Joining cannot go ahead now: too many tries or joins, or the workshop is full. The message says
    what to do; `status` is the HTTP status that fits (429 to wait, 409 when full)."""

    def __init__(self, message: str, status: int = 429):
        super().__init__(message)
        self.status = status


def find_open_workshop(db: Database, typed_code: str, address: str) -> WorkshopRow | None:
    """Return the open workshop a typed join code names, or None; codes that name none are counted per
    network address, and past `WRONG_CODES_PER_ADDRESS` the next try raises JoinRefused."""
    key = f"join-code {address}"
    # counted in advance (and taken back when the code is right), so parallel guesses count one by one
    full = count_in_windows(db, {key: WRONG_CODES_PER_ADDRESS}, accounts.utcnow())
    if full is not None:
        raise JoinRefused(
            f"Too many join codes that match no workshop were tried from this network: wait {wait_words(full[1])} "
            "and type the code on the screen again."
        )
    workshop = workshops.workshop_by_code(db, normalize_join_code(typed_code))
    if workshop is None or workshop.status != "open":
        return None
    limits.take_back(db, key)
    return workshop


def join(db: Database, workshop: WorkshopRow, name: str, user_id: int | None, address: str = "unknown") -> str:
    """Add a participant to an open workshop; return the token their browser keeps.

    Raises JoinRefused when the workshop is full, or when too many people joined it (or joined from
    this network address) in the last minutes.
    """
    token = accounts.new_token()
    with transaction(db):  # the cap and the windows are checked and counted with the insert
        if workshops.count_participants(db, workshop.id) >= workshop.max_participants:
            raise JoinRefused(
                f"This workshop is full: it takes at most {workshop.max_participants} participants. "
                "Ask the facilitator.",
                status=409,
            )
        rules = {f"join-workshop {workshop.id}": JOINS_PER_WORKSHOP, f"join-address {address}": JOINS_PER_ADDRESS}
        full = count_in_windows(db, rules, accounts.utcnow())
        if full is not None:
            where = "this workshop" if full[0].startswith("join-workshop") else "this network"
            raise JoinRefused(
                f"Many people joined {where} in the last minutes: wait {wait_words(full[1])} and try again."
            )
        workshops.add_participant(db, workshop.id, name, accounts.token_digest(token), user_id)
    return token


def participant_for(db: Database, code: str, token: str) -> workshops.ParticipantSession | None:
    """Return the participant a browser's token stands for in the workshop `code`, if it is still open."""
    row = workshops.participant_by_token(db, accounts.token_digest(token))
    if row is None or row.code != code or row.status != "open":
        return None
    return row


def ratings_by(db: Database, workshop_id: int, participant_id: int) -> dict[str, RatingRow]:
    """Return question id -> one participant's rating in a workshop."""
    return {r.question_id: r for r in workshops.ratings_of(db, workshop_id) if r.participant_id == participant_id}
