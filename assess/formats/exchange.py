"""The `assess/1` exchange format: one organization, its profile and its assessments as JSON.

Reading validates everything and reports every problem with its JSON path
(``assessments[0].answers["10002-7.4-a"].value: must be 0..4, "na" or "unknown", got 7``); a file
with any problem is rejected whole.

Optional parts, left out when empty so older files read and write as they always did: each
assessment's ``workshops``, and the organization's ``actions`` (its action plan; an action's
``assessment`` is the index in ``assessments`` of the round its gap came from).
"""

from __future__ import annotations

import json
from typing import Any

from assess.core.actions import MAX_PRIORITY, check_due
from assess.core.answers import (
    ACTION_STATUSES,
    DEFAULT_TARGET,
    MAX_NAME,
    MAX_TEXT,
    NOT_APPLICABLE,
    UNKNOWN,
    Action,
    Agreement,
    Answer,
    Assessment,
    Organization,
    Rating,
    WorkshopRecord,
    answer_problems,
    is_level,
)
from assess.core.checks import MAX_LINE, printable, text_problem
from assess.core.facts import FactProblem, check_fact_value
from assess.core.problems import ProblemList, ProblemsFound
from assess.core.questionnaire import Fact, QuestionBank, Questionnaire
from assess.formats.limits import json_limit_problems, load_json

FORMAT = "assess/1"


class ExchangeError(ProblemsFound):
    """An exchange file with problems, each with its JSON path."""


def _describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    return printable(json.dumps(value, ensure_ascii=False)[:80])


def _key(path: str, key: str) -> str:
    return f"{path}[{printable(json.dumps(key, ensure_ascii=False))}]"


class _Reader:
    def __init__(self, bank: QuestionBank):
        self.bank = bank
        self.problems = ProblemList()

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def obj(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path or "(top level)", f"must be an object, got {_describe(value)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                shown = printable(str(key))
                self.add(f"{path}.{shown}" if path else shown, f"unknown field (allowed: {allowed})")
        for key in required:
            if key not in value:
                self.add(f"{path}.{key}" if path else key, "is required")
        return value

    def text(self, value: Any, path: str, required: bool = False, line: int | None = None) -> str:
        """Read a text field; `line` makes it a single line of at most that many characters."""
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(path, f"must be {'non-empty ' if required else ''}text, got {_describe(value)}")
            return ""
        longest = MAX_TEXT if line is None else line
        if len(value) > longest:
            self.add(path, f"must be at most {longest} characters, got {len(value)}")
            return ""
        problem = text_problem(value, single_line=line is not None)
        if problem is not None:
            self.add(path, problem)
            return ""
        return value

    # -- profile --

    def profile(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, f"must be an object, got {_describe(value)}")
            return {}
        known = {f.id: f for f in self.bank.profile.facts}
        out: dict[str, Any] = {}
        for fact_id, raw in value.items():
            fpath = _key(path, fact_id)
            fact = known.get(fact_id)
            if fact is None:
                self.add(fpath, "is not a fact of the profile")
                continue
            if raw is None:
                continue
            checked = self.fact_value(fact, raw, fpath)
            if checked is not None:
                out[fact_id] = checked
        return out

    def fact_value(self, fact: Fact, raw: Any, path: str) -> Any:
        try:
            return check_fact_value(fact, raw)
        except FactProblem as problem:
            self.add(path, str(problem))
            return None

    # -- assessments --

    def answer(self, raw: Any, path: str, allow_na: bool) -> Answer | None:
        data = self.obj(raw, path, ("value",), ("note", "evidence", "reason"))
        if data is None:
            return None
        before = len(self.problems)
        value = data.get("value")
        note = self.text(data.get("note"), f"{path}.note")
        evidence = self.text(data.get("evidence"), f"{path}.evidence")
        reason = self.text(data.get("reason"), f"{path}.reason")
        if "value" in data:
            for name, problem in answer_problems(value, reason, allow_na).items():
                if problem.startswith("must be"):
                    problem += f", got {_describe(value)}"
                self.add(f"{path}.{name}", problem)
        if len(self.problems) != before:
            return None
        return Answer(value=value, note=note, evidence=evidence, reason=reason)

    def assessment(self, raw: Any, path: str) -> Assessment | None:
        data = self.obj(raw, path, ("questionnaire", "title"), ("target", "answers", "workshops"))
        if data is None:
            return None
        qid = data.get("questionnaire")
        questionnaire = None
        if "questionnaire" in data:
            if isinstance(qid, str) and qid in self.bank.questionnaires:
                questionnaire = self.bank.questionnaires[qid]
            else:
                installed = ", ".join(self.bank.questionnaires)
                self.add(
                    f"{path}.questionnaire",
                    f"unknown questionnaire {_describe(qid)} (installed: {installed})",
                )
        title = self.text(data.get("title"), f"{path}.title", required="title" in data, line=MAX_NAME)
        target = data.get("target", DEFAULT_TARGET)
        if not is_level(target) or target == 0:
            self.add(f"{path}.target", f"must be a level 1..4, got {_describe(target)}")
            target = DEFAULT_TARGET
        answers: dict[str, Answer] = {}
        raw_answers = data.get("answers", {})
        if not isinstance(raw_answers, dict):
            self.add(f"{path}.answers", f"must be an object keyed by question id, got {_describe(raw_answers)}")
            raw_answers = {}
        for raw_id, raw_answer in raw_answers.items():
            apath = _key(f"{path}.answers", raw_id)
            question_id = raw_id
            if questionnaire is not None and not questionnaire.has_question(raw_id):
                question_id = self.bank.current_id(questionnaire.id, raw_id) or ""
                retired = self.bank.retired.get(raw_id)
                if retired is not None and retired.questionnaire == questionnaire.id and not question_id:
                    self.add(apath, f"was retired ({retired.why}) and nothing replaces it: leave it out of the file")
                    continue
                if not question_id:
                    self.add(apath, f"is not a question of {questionnaire.id}")
                    continue
                if question_id in raw_answers:
                    continue  # the file answers the question that replaced it as well: that answer is the one kept
            allow_na = questionnaire.question(question_id).allow_na if questionnaire else True
            answer = self.answer(raw_answer, apath, allow_na)
            if answer is not None:
                answers[question_id] = answer
        workshops: list[WorkshopRecord] = []
        raw_workshops = data.get("workshops", [])
        if not isinstance(raw_workshops, list):
            self.add(f"{path}.workshops", f"must be a list, got {_describe(raw_workshops)}")
            raw_workshops = []
        for i, raw_workshop in enumerate(raw_workshops):
            record = self.workshop(raw_workshop, f"{path}.workshops[{i}]", questionnaire)
            if record is not None:
                workshops.append(record)
        return Assessment(
            questionnaire=str(qid), title=title, target=target, answers=answers, workshops=tuple(workshops)
        )

    def level_or_none(self, value: Any, path: str, allow_none: bool) -> bool:
        if (value is None and allow_none) or is_level(value) or value in (NOT_APPLICABLE, UNKNOWN):
            return True
        self.add(path, f'must be 0..4, "na" or "unknown", got {_describe(value)}')
        return False

    def question_ref(self, value: Any, path: str, questionnaire: Questionnaire | None) -> bool:
        if not isinstance(value, str) or (questionnaire is not None and not questionnaire.has_question(value)):
            owner = questionnaire.id if questionnaire else "the questionnaire"
            self.add(path, f"is not a question of {owner}: {_describe(value)}")
            return False
        return True

    def workshop(self, raw: Any, path: str, questionnaire: Questionnaire | None) -> WorkshopRecord | None:
        """Read the optional record of one workshop: participants, their ratings, and the consensus."""
        data = self.obj(raw, path, ("opened_at", "participants"), ("closed_at", "clauses", "ratings", "consensus"))
        if data is None:
            return None
        before = len(self.problems)
        opened = self.text(data.get("opened_at"), f"{path}.opened_at", required="opened_at" in data, line=MAX_LINE)
        closed = self.text(data.get("closed_at"), f"{path}.closed_at", line=MAX_LINE) or None
        clauses = data.get("clauses", [])
        if not isinstance(clauses, list) or not all(
            isinstance(c, str) and text_problem(c, single_line=True) is None and len(c) <= MAX_LINE for c in clauses
        ):
            self.add(f"{path}.clauses", "must be a list of clause numbers")
            clauses = []
        names = data.get("participants", [])
        if not isinstance(names, list) or not all(
            isinstance(n, str) and n.strip() and len(n) <= MAX_LINE and text_problem(n, single_line=True) is None
            for n in names
        ):
            self.add(f"{path}.participants", "must be a list of names, each one line")
            names = []
        ratings: list[Rating] = []
        rated: set[tuple[int, str]] = set()  # (participant, question): a set, so 30,000 ratings read in linear time
        for i, item in enumerate(data.get("ratings", []) if isinstance(data.get("ratings", []), list) else []):
            rpath = f"{path}.ratings[{i}]"
            entry = self.obj(item, rpath, ("participant", "question", "value"), ("comment",))
            if entry is None:
                continue
            who = entry.get("participant")
            if not isinstance(who, int) or isinstance(who, bool) or not 0 <= who < len(names):
                self.add(f"{rpath}.participant", f"must be an index into participants, got {_describe(who)}")
                continue
            ok = self.question_ref(entry.get("question"), f"{rpath}.question", questionnaire)
            ok = self.level_or_none(entry.get("value"), f"{rpath}.value", allow_none=True) and ok
            comment = self.text(entry.get("comment"), f"{rpath}.comment")
            if ok and (who, entry["question"]) in rated:
                self.add(rpath, "rates the same question for the same participant a second time")
            elif ok:
                rated.add((who, entry["question"]))
                ratings.append(Rating(who, entry["question"], entry.get("value"), comment))
        agreements: list[Agreement] = []
        agreed: set[str] = set()
        for i, item in enumerate(data.get("consensus", []) if isinstance(data.get("consensus", []), list) else []):
            cpath = f"{path}.consensus[{i}]"
            entry = self.obj(item, cpath, ("question", "value"), ("note",))
            if entry is None:
                continue
            ok = self.question_ref(entry.get("question"), f"{cpath}.question", questionnaire)
            ok = self.level_or_none(entry.get("value"), f"{cpath}.value", allow_none=False) and ok
            note = self.text(entry.get("note"), f"{cpath}.note")
            if ok and entry["question"] in agreed:
                self.add(cpath, "records a second consensus for the same question")
            elif ok:
                agreed.add(entry["question"])
                agreements.append(Agreement(entry["question"], entry["value"], note))
        if len(self.problems) != before:
            return None
        return WorkshopRecord(
            opened_at=opened,
            closed_at=closed,
            clauses=tuple(clauses),
            participants=tuple(n.strip() for n in names),
            ratings=tuple(ratings),
            consensus=tuple(agreements),
        )

    def action(self, raw: Any, path: str, assessments: list[Any]) -> Action | None:
        """Read one action of the organization's plan; `assessments` is the file's raw list of them."""
        data = self.obj(
            raw,
            path,
            ("questionnaire", "question", "what"),
            ("clause", "owner", "due", "status", "priority", "assessment"),
        )
        if data is None:
            return None
        before = len(self.problems)
        qid = data.get("questionnaire")
        questionnaire = self.bank.questionnaires.get(qid) if isinstance(qid, str) else None
        if "questionnaire" in data and questionnaire is None:
            installed = ", ".join(self.bank.questionnaires)
            self.add(f"{path}.questionnaire", f"unknown questionnaire {_describe(qid)} (installed: {installed})")
        question = data.get("question")
        known = "question" in data and self.question_ref(question, f"{path}.question", questionnaire)
        clause = data.get("clause")
        if clause is None:
            clause = questionnaire.question(str(question)).clause_ref if questionnaire is not None and known else ""
        elif not isinstance(clause, str) or (questionnaire is not None and not _has_clause(questionnaire, clause)):
            owner = questionnaire.id if questionnaire else "the questionnaire"
            self.add(f"{path}.clause", f"is not a clause of {owner}: {_describe(clause)}")
        what = self.text(data.get("what"), f"{path}.what", required="what" in data)
        owner_name = self.text(data.get("owner"), f"{path}.owner", line=MAX_NAME)
        due = data.get("due", "")
        try:
            if not isinstance(due, str):
                raise ValueError(due)
            due = check_due(due)
        except ValueError:
            self.add(f"{path}.due", f"must be a date YYYY-MM-DD or empty, got {_describe(due)}")
        status = data.get("status", ACTION_STATUSES[0])
        if status not in ACTION_STATUSES:
            listed = ", ".join(json.dumps(s) for s in ACTION_STATUSES)
            self.add(f"{path}.status", f"must be one of {listed}, got {_describe(status)}")
        priority = data.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= MAX_PRIORITY:
            self.add(f"{path}.priority", f"must be a whole number from 0 to {MAX_PRIORITY}, got {_describe(priority)}")
        index = data.get("assessment")
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(assessments):
                self.add(f"{path}.assessment", f"must be an index into assessments, got {_describe(index)}")
            elif isinstance(assessments[index], dict) and assessments[index].get("questionnaire") != qid:
                self.add(f"{path}.assessment", f"assessments[{index}] is not an assessment of {_describe(qid)}")
        if len(self.problems) != before:
            return None
        return Action(
            questionnaire=str(qid),
            question=str(question),
            clause=clause,
            what=what,
            priority=priority,
            owner=owner_name.strip(),
            due=due,
            status=status,
            assessment=index,
        )


def _has_clause(questionnaire: Questionnaire, ref: str) -> bool:
    try:
        questionnaire.clause(ref)
    except KeyError:
        return False
    return True


def read_exchange(data: Any, bank: QuestionBank) -> Organization:
    """Return the organization in a parsed `assess/1` document; raises ExchangeError with every problem."""
    limits = json_limit_problems(data)
    if limits:
        raise ExchangeError(limits)
    return _read_checked(data, bank)


def _read_checked(data: Any, bank: QuestionBank) -> Organization:
    """`read_exchange` for data that passed `json_limit_problems` already."""
    reader = _Reader(bank)
    top = reader.obj(data, "", ("format", "organization"), ("assessments",))
    if top is None:
        raise ExchangeError(reader.problems)
    if "format" in top and top["format"] != FORMAT:
        reader.add("format", f'must be "{FORMAT}", got {_describe(top["format"])}')
    org = (
        reader.obj(top.get("organization"), "organization", ("name",), ("profile", "actions"))
        if "organization" in top
        else None
    )
    name = ""
    profile: dict[str, Any] = {}
    if org is not None:
        name = reader.text(org.get("name"), "organization.name", required="name" in org, line=MAX_NAME)
        profile = reader.profile(org.get("profile"), "organization.profile")
    assessments = []
    raw_assessments = top.get("assessments", [])
    if not isinstance(raw_assessments, list):
        reader.add("assessments", f"must be a list, got {_describe(raw_assessments)}")
        raw_assessments = []
    for i, raw in enumerate(raw_assessments):
        assessment = reader.assessment(raw, f"assessments[{i}]")
        if assessment is not None:
            assessments.append(assessment)
    actions = []
    raw_actions = org.get("actions", []) if org is not None else []
    if not isinstance(raw_actions, list):
        reader.add("organization.actions", f"must be a list, got {_describe(raw_actions)}")
        raw_actions = []
    for i, raw in enumerate(raw_actions):
        action = reader.action(raw, f"organization.actions[{i}]", raw_assessments)
        if action is not None:
            actions.append(action)
    if reader.problems:
        raise ExchangeError(reader.problems)
    return Organization(name=name.strip(), profile=profile, assessments=tuple(assessments), actions=tuple(actions))


def parse_exchange(text: str | bytes, bank: QuestionBank) -> Organization:
    """Return the organization in `assess/1` JSON text; raises ExchangeError for bad JSON or content,
    or a file past the limits of `assess.formats.limits` (size, nesting, numbers, text)."""
    data, problems = load_json(text)  # with the limit walk of json_limit_problems
    if problems:
        raise ExchangeError(problems)
    return _read_checked(data, bank)


def workshop_to_json(record: WorkshopRecord) -> dict[str, Any]:
    """Return one workshop record as its exchange-format object."""
    return {
        "opened_at": record.opened_at,
        "closed_at": record.closed_at,
        "clauses": list(record.clauses),
        "participants": list(record.participants),
        "ratings": [
            {"participant": r.participant, "question": r.question, "value": r.value, "comment": r.comment}
            for r in record.ratings
        ],
        "consensus": [{"question": c.question, "value": c.value, "note": c.note} for c in record.consensus],
    }


def _assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    out: dict[str, Any] = {
        "questionnaire": assessment.questionnaire,
        "title": assessment.title,
        "target": assessment.target,
        "answers": {qid: ans.to_json() for qid, ans in assessment.answers.items()},
    }
    if assessment.workshops:  # optional: files without workshops stay as they always were
        out["workshops"] = [workshop_to_json(w) for w in assessment.workshops]
    return out


def action_to_json(action: Action) -> dict[str, Any]:
    """Return one action as its exchange-format object."""
    out: dict[str, Any] = {
        "questionnaire": action.questionnaire,
        "question": action.question,
        "clause": action.clause,
        "what": action.what,
        "owner": action.owner,
        "due": action.due,
        "status": action.status,
        "priority": action.priority,
    }
    if action.assessment is not None:
        out["assessment"] = action.assessment
    return out


def organization_to_json(org: Organization) -> dict[str, Any]:
    """Return the organization as an `assess/1` document."""
    organization: dict[str, Any] = {"name": org.name, "profile": dict(org.profile)}
    if org.actions:  # optional: files without an action plan stay as they always were
        organization["actions"] = [action_to_json(a) for a in org.actions]
    return {
        "format": FORMAT,
        "organization": organization,
        "assessments": [_assessment_to_json(a) for a in org.assessments],
    }


def dump_exchange(org: Organization) -> str:
    """Return the organization as pretty-printed `assess/1` JSON text."""
    return json.dumps(organization_to_json(org), indent=2, ensure_ascii=False) + "\n"
