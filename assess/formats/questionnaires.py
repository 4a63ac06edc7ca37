"""Questionnaire and profile files: YAML in, validated frozen dataclasses (`assess.core.questionnaire`) out.

Every problem in a file is collected and reported together, each with the file name and the field
path (``iso10002-2018.yaml: clauses[3].clauses[1].questions[0].weight: must be 1..3, got 5``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from assess.core.conditions import Condition, ConditionError, parse_condition
from assess.core.facts import FactProblem, check_fact_value
from assess.core.questionnaire import (
    DOCUMENT_IDS,
    FACT_TYPES,
    Clause,
    Fact,
    FactField,
    Profile,
    Question,
    QuestionBank,
    Questionnaire,
    QuestionnaireError,
)
from assess.core.settings import SHIPPED_QUESTIONNAIRES
from assess.formats.retired import RETIRED_FILE, load_retired

PROFILE_FILE = "profile.yaml"

_REF = re.compile(r"^\d+(\.\d+)*$")
_QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_FACT_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

# --- validation helpers -------------------------------------------------------------------


class _Problems:
    def __init__(self, filename: str):
        self.filename = filename
        self.messages: list[str] = []

    def add(self, path: str, message: str) -> None:
        where = f"{self.filename}: {path}: " if path else f"{self.filename}: "
        self.messages.append(where + message)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{value!r} ({type(value).__name__})".lower()
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return repr(value)


def _mapping(
    node: Any,
    path: str,
    problems: _Problems,
    required: Iterable[str],
    optional: Iterable[str],
) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        problems.add(path, f"must be a mapping, got {_describe(node)}")
        return None
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in node:
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            problems.add(_join(path, str(key)), f"unknown key (allowed: {hint})")
    for key in required:
        if key not in node:
            problems.add(_join(path, key), "is required")
    return node


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text(node: dict[str, Any], key: str, path: str, problems: _Problems) -> str:
    value = node.get(key)
    if key not in node:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(_join(path, key), f"must be non-empty text, got {_describe(value)}")
        return ""
    return value.strip()


def _flag(node: dict[str, Any], key: str, default: bool, path: str, problems: _Problems) -> bool:
    value = node.get(key, default)
    if not isinstance(value, bool):
        problems.add(_join(path, key), f"must be true or false, got {_describe(value)}")
        return default
    return value


def _read_yaml(path: Path, problems: _Problems) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add("", f"cannot be read: {exc}")
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.add("", f"is not valid YAML: {where}{getattr(exc, 'problem', exc)}")
        return None


# --- questionnaires -----------------------------------------------------------------------

_TOP_KEYS = ("id", "standard", "edition", "title", "document", "clauses")
_CLAUSE_KEYS = ("ref", "title")
_CLAUSE_OPTIONAL = ("previous_ref", "confirmed", "clauses", "questions")
_QUESTION_KEYS = ("id", "text", "help", "evidence", "recommendation", "weight")
_QUESTION_OPTIONAL = ("key", "show_if", "allow_na", "same_as", "levels")


class _QuestionnaireBuilder:
    def __init__(self, problems: _Problems):
        self.problems = problems
        self.refs: set[str] = set()
        self.question_ids: list[str] = []

    def clause(self, node: Any, path: str, parent_ref: str | None) -> Clause | None:
        p = self.problems
        data = _mapping(node, path, p, _CLAUSE_KEYS, _CLAUSE_OPTIONAL)
        if data is None:
            return None
        ref = data.get("ref")
        if isinstance(ref, (int, float)) and not isinstance(ref, bool):
            p.add(_join(path, "ref"), f'must be a quoted string such as "{ref}", got a number')
            ref = str(ref)
        if not isinstance(ref, str) or not _REF.match(ref):
            if "ref" in data and isinstance(ref, str):
                p.add(_join(path, "ref"), f'must look like "7" or "7.4.1", got {ref!r}')
            ref = ref if isinstance(ref, str) else "?"
        else:
            if ref in self.refs:
                p.add(_join(path, "ref"), f"{ref!r} is used twice in this file")
            self.refs.add(ref)
            if parent_ref is None and "." in ref:
                p.add(_join(path, "ref"), f"{ref!r} is a sub-clause but stands at the top level")
            if parent_ref is not None and (
                not ref.startswith(parent_ref + ".") or ref.count(".") != parent_ref.count(".") + 1
            ):
                p.add(_join(path, "ref"), f"{ref!r} cannot sit under clause {parent_ref!r}")
        title = _text(data, "title", path, p)
        previous_ref = data.get("previous_ref")
        if "previous_ref" in data and (not isinstance(previous_ref, str) or not _REF.match(previous_ref)):
            p.add(
                _join(path, "previous_ref"),
                f'must be a quoted clause number such as "4.3", got {_describe(previous_ref)}',
            )
            previous_ref = None
        confirmed = _flag(data, "confirmed", True, path, p)

        children: list[Clause] = []
        raw_children = data.get("clauses", [])
        if not isinstance(raw_children, list):
            p.add(_join(path, "clauses"), f"must be a list, got {_describe(raw_children)}")
            raw_children = []
        for i, child in enumerate(raw_children):
            built = self.clause(child, f"{_join(path, 'clauses')}[{i}]", ref)
            if built is not None:
                children.append(built)

        questions: list[Question] = []
        raw_questions = data.get("questions", [])
        if not isinstance(raw_questions, list):
            p.add(_join(path, "questions"), f"must be a list, got {_describe(raw_questions)}")
            raw_questions = []
        for i, qnode in enumerate(raw_questions):
            built_q = self.question(qnode, f"{_join(path, 'questions')}[{i}]", ref)
            if built_q is not None:
                questions.append(built_q)
        if not raw_children and not raw_questions:
            p.add(path, f"clause {ref!r} has neither sub-clauses nor questions")
        return Clause(
            ref=ref,
            title=title,
            previous_ref=previous_ref,
            confirmed=confirmed,
            clauses=tuple(children),
            questions=tuple(questions),
        )

    def question(self, node: Any, path: str, clause_ref: str) -> Question | None:
        p = self.problems
        data = _mapping(node, path, p, _QUESTION_KEYS, _QUESTION_OPTIONAL)
        if data is None:
            return None
        qid = data.get("id")
        if not isinstance(qid, str) or not _QUESTION_ID.match(qid):
            if "id" in data:
                p.add(_join(path, "id"), f"must be text of letters, digits, '.', '-', '_', got {_describe(qid)}")
            qid = f"?{path}"
        elif qid in self.question_ids:
            p.add(_join(path, "id"), f"{qid!r} is used twice in this file")
        weight = data.get("weight")
        if "weight" in data and (not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 3):
            p.add(_join(path, "weight"), f"must be 1..3, got {_describe(weight)}")
            weight = 1
        condition = None
        if "show_if" in data:
            condition = self.condition(data["show_if"], _join(path, "show_if"), qid)
        same_as = data.get("same_as")
        if "same_as" in data and (not isinstance(same_as, str) or not _QUESTION_ID.match(same_as)):
            p.add(_join(path, "same_as"), f"must be the id of a question in another file, got {_describe(same_as)}")
            same_as = None
        question = Question(
            id=qid,
            clause_ref=clause_ref,
            text=_text(data, "text", path, p),
            help=_text(data, "help", path, p),
            evidence=_text(data, "evidence", path, p),
            recommendation=_text(data, "recommendation", path, p),
            weight=weight if isinstance(weight, int) else 1,
            key=_flag(data, "key", False, path, p),
            show_if=condition,
            allow_na=_flag(data, "allow_na", True, path, p),
            same_as=same_as,
            levels=self.levels(data, _join(path, "levels")) if "levels" in data else (),
        )
        self.question_ids.append(qid)
        return question

    def levels(self, data: dict[str, Any], path: str) -> tuple[str, ...]:
        """Return the five anchored level texts 0-4 of a question, or () after reporting the problem."""
        raw = data["levels"]
        if not isinstance(raw, dict) or sorted(raw, key=str) != [0, 1, 2, 3, 4]:
            keys = sorted(map(str, raw)) if isinstance(raw, dict) else None
            got = f"keys {', '.join(keys)}" if keys is not None else _describe(raw)
            self.problems.add(path, f"must map exactly the levels 0, 1, 2, 3 and 4 to text, got {got}")
            return ()
        texts = []
        for level in range(5):
            text = raw[level]
            if not isinstance(text, str) or not text.strip():
                self.problems.add(f"{path}.{level}", f"must be non-empty text, got {_describe(text)}")
                return ()
            texts.append(text.strip())
        return tuple(texts)

    def condition(self, source: Any, path: str, qid: str) -> Condition | None:
        try:
            condition = parse_condition(source)
        except ConditionError as exc:
            self.problems.add(path, f"{exc} in {_describe(source)}")
            return None
        earlier = set(self.question_ids)
        for name in condition.questions:
            if name == qid:
                self.problems.add(path, f"a question cannot depend on itself ({name!r})")
            elif name not in earlier:
                self.problems.add(path, f"names {name!r}, which is not a question earlier in this file")
        return condition


def load_questionnaire(path: Path) -> Questionnaire:
    """Return the questionnaire in a YAML file; raises QuestionnaireError listing every problem."""
    problems = _Problems(path.name)
    raw = _read_yaml(path, problems)
    if problems.messages:
        raise QuestionnaireError(problems.messages)
    data = _mapping(raw, "", problems, _TOP_KEYS, ("previous_edition",))
    if data is None:
        raise QuestionnaireError(problems.messages)
    qid = _text(data, "id", "", problems)
    if qid and qid != path.stem:
        problems.add("id", f"must equal the file name stem {path.stem!r}, got {qid!r}")
    edition = data.get("edition")
    if "edition" in data and not isinstance(edition, str):
        problems.add("edition", f'must be a quoted year such as "2018", got {_describe(edition)}')
    previous = data.get("previous_edition")
    if "previous_edition" in data and not isinstance(previous, str):
        problems.add("previous_edition", f'must be a quoted year such as "2004", got {_describe(previous)}')
    document = _text(data, "document", "", problems)
    if document and document not in DOCUMENT_IDS:
        problems.add("document", f"must be one of {', '.join(DOCUMENT_IDS)}, got {document!r}")
    builder = _QuestionnaireBuilder(problems)
    clauses: list[Clause] = []
    raw_clauses = data.get("clauses", [])
    if not isinstance(raw_clauses, list) or ("clauses" in data and not raw_clauses):
        problems.add("clauses", f"must be a non-empty list, got {_describe(raw_clauses)}")
        raw_clauses = []
    for i, node in enumerate(raw_clauses):
        built = builder.clause(node, f"clauses[{i}]", None)
        if built is not None:
            clauses.append(built)
    if problems.messages:
        raise QuestionnaireError(problems.messages)
    return Questionnaire(
        id=qid,
        standard=_text(data, "standard", "", problems),
        edition=str(edition),
        title=_text(data, "title", "", problems),
        document=document,
        clauses=tuple(clauses),
        previous_edition=previous,
        source=str(path),
    )


# --- profile -----------------------------------------------------------------------------

_FACT_KEYS = ("id", "text", "type")
_FACT_OPTIONAL = ("help", "choices", "fields", "required_for", "placeholder", "min", "max", "default", "example")


def _fact(node: Any, path: str, section: str, problems: _Problems, seen: set[str]) -> Fact | None:
    data = _mapping(node, path, problems, _FACT_KEYS, _FACT_OPTIONAL)
    if data is None:
        return None
    fid = data.get("id")
    if not isinstance(fid, str) or not _FACT_ID.match(fid):
        if "id" in data:
            problems.add(_join(path, "id"), f"must look like 'group.name' in lower case, got {_describe(fid)}")
        fid = "?"
    elif fid in seen:
        problems.add(_join(path, "id"), f"{fid!r} is used twice in this file")
    seen.add(fid)
    ftype = data.get("type")
    if "type" in data and ftype not in FACT_TYPES:
        problems.add(_join(path, "type"), f"must be one of {', '.join(FACT_TYPES)}, got {_describe(ftype)}")
    choices: tuple[str, ...] = ()
    if ftype in ("choice", "multichoice"):
        raw = data.get("choices")
        if not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c for c in raw):
            problems.add(_join(path, "choices"), f"must be a non-empty list of text for type {ftype}")
        else:
            choices = tuple(raw)
            if len(set(choices)) != len(choices):
                problems.add(_join(path, "choices"), "has the same choice twice")
    elif "choices" in data:
        problems.add(_join(path, "choices"), f"only goes with type choice or multichoice, not {ftype}")
    fields: list[FactField] = []
    if "fields" in data:
        raw_fields = data["fields"]
        if ftype != "list":
            problems.add(_join(path, "fields"), f"only goes with type list, not {ftype}")
        elif not isinstance(raw_fields, list) or not raw_fields:
            problems.add(_join(path, "fields"), "must be a non-empty list")
        else:
            for i, fnode in enumerate(raw_fields):
                fpath = f"{_join(path, 'fields')}[{i}]"
                fdata = _mapping(fnode, fpath, problems, ("id", "text"), ())
                if fdata is None:
                    continue
                sub_id = fdata.get("id")
                if not isinstance(sub_id, str) or not re.match(r"^[a-z][a-z0-9_]*$", sub_id):
                    problems.add(_join(fpath, "id"), f"must be a lower-case name, got {_describe(sub_id)}")
                    continue
                fields.append(FactField(sub_id, _text(fdata, "text", fpath, problems)))
    required_for = data.get("required_for", [])
    if not isinstance(required_for, list) or not all(isinstance(d, str) for d in required_for):
        problems.add(_join(path, "required_for"), "must be a list of document ids")
        required_for = []
    for i, doc in enumerate(required_for):
        if doc not in DOCUMENT_IDS:
            problems.add(
                f"{_join(path, 'required_for')}[{i}]",
                f"must be one of {', '.join(DOCUMENT_IDS)}, got {doc!r}",
            )
    bounds: dict[str, float | None] = {"min": None, "max": None}
    for key in ("min", "max"):
        if key not in data:
            continue
        if isinstance(ftype, str) and key not in FACT_TYPES.get(ftype, FACT_TYPES["text"]).keys:
            problems.add(_join(path, key), f"only goes with type number, not {ftype}")
        elif isinstance(data[key], bool) or not isinstance(data[key], (int, float)):
            problems.add(_join(path, key), f"must be a number, got {_describe(data[key])}")
        else:
            bounds[key] = data[key]
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        problems.add(_join(path, "max"), f"must be at least min ({bounds['min']}), got {bounds['max']}")
    placeholder = data.get("placeholder", "")
    if not isinstance(placeholder, str):
        problems.add(_join(path, "placeholder"), f"must be text, got {_describe(placeholder)}")
        placeholder = ""
    fact = Fact(
        id=fid,
        text=_text(data, "text", path, problems),
        type=ftype if isinstance(ftype, str) else "text",
        section=section,
        help=_text(data, "help", path, problems) if "help" in data else "",
        choices=choices,
        fields=tuple(fields),
        required_for=tuple(required_for),
        placeholder=placeholder.strip(),
        minimum=bounds["min"],
        maximum=bounds["max"],
        example=_text(data, "example", path, problems) if "example" in data else "",
    )
    if "default" not in data or ftype not in FACT_TYPES:
        return fact
    try:
        default = check_fact_value(fact, data["default"])
    except FactProblem as exc:
        problems.add(_join(path, "default"), str(exc))
        return fact
    return replace(fact, default=default)


def load_profile(path: Path) -> Profile:
    """Return the profile's fact questions; raises QuestionnaireError listing every problem."""
    problems = _Problems(path.name)
    raw = _read_yaml(path, problems)
    if problems.messages:
        raise QuestionnaireError(problems.messages)
    data = _mapping(raw, "", problems, ("sections",), ())
    if data is None:
        raise QuestionnaireError(problems.messages)
    sections = data.get("sections")
    facts: list[Fact] = []
    titles: list[str] = []
    intros: dict[str, str] = {}
    seen: set[str] = set()
    if not isinstance(sections, list) or not sections:
        problems.add("sections", f"must be a non-empty list, got {_describe(sections)}")
        sections = []
    for i, snode in enumerate(sections):
        spath = f"sections[{i}]"
        sdata = _mapping(snode, spath, problems, ("title", "facts"), ("intro",))
        if sdata is None:
            continue
        title = _text(sdata, "title", spath, problems)
        titles.append(title)
        if "intro" in sdata:
            intros[title] = _text(sdata, "intro", spath, problems)
        raw_facts = sdata.get("facts")
        if not isinstance(raw_facts, list) or not raw_facts:
            problems.add(_join(spath, "facts"), f"must be a non-empty list, got {_describe(raw_facts)}")
            continue
        for j, fnode in enumerate(raw_facts):
            fact = _fact(fnode, f"{spath}.facts[{j}]", title, problems, seen)
            if fact is not None:
                facts.append(fact)
    if problems.messages:
        raise QuestionnaireError(problems.messages)
    return Profile(facts=tuple(facts), sections=tuple(titles), source=str(path), intros=intros)


# --- the whole bank ----------------------------------------------------------------------


def default_questionnaire_dir() -> Path:
    """Return the `questionnaires/` folder shipped with the project."""
    return SHIPPED_QUESTIONNAIRES


def questionnaire_files(folders: Iterable[Path]) -> list[Path]:
    """Return every questionnaire YAML file in the folders (not the profile or the retired ids), sorted by name."""
    files: list[Path] = []
    for folder in folders:
        files.extend(p for p in sorted(Path(folder).glob("*.yaml")) if p.name not in (PROFILE_FILE, RETIRED_FILE))
    return files


def check_unique_question_ids(questionnaires: Iterable[Questionnaire]) -> list[str]:
    """Return a message for every question id used in more than one questionnaire."""
    owner: dict[str, str] = {}
    problems = []
    for q in questionnaires:
        for question in q.questions:
            if question.id in owner and owner[question.id] != q.id:
                problems.append(
                    f"{Path(q.source).name}: question {question.id!r} is also in "
                    f"{owner[question.id]}.yaml (question ids must be unique across all files)"
                )
            owner.setdefault(question.id, q.id)
    return problems


def check_same_as(questionnaires: Iterable[Questionnaire]) -> list[str]:
    """Return a message for every `same_as` that does not name a question of another file with the same N/A rule."""
    questionnaires = tuple(questionnaires)
    owner = {question.id: (q, question) for q in questionnaires for question in q.questions}
    problems = []
    for q in questionnaires:
        for question in q.questions:
            if question.same_as is None:
                continue
            where = f"{Path(q.source).name}: question {question.id!r}: same_as"
            target = owner.get(question.same_as)
            if target is None:
                problems.append(f"{where}: {question.same_as!r} is not a question of any questionnaire")
            elif target[0].id == q.id:
                problems.append(f"{where}: {question.same_as!r} is in the same file (same_as links two banks)")
            elif target[1].allow_na != question.allow_na:
                problems.append(
                    f"{where}: {question.same_as!r} {'allows' if target[1].allow_na else 'does not allow'} "
                    f"not applicable and this question {'does' if question.allow_na else 'does not'}: "
                    "one shared answer needs one rule"
                )
            elif target[1].same_as is not None:
                problems.append(f"{where}: {question.same_as!r} has a same_as of its own (link to the first one)")
    return problems


def load_bank(folders: Iterable[Path] | None = None) -> QuestionBank:
    """Return every questionnaire and the profile in the folders (first profile.yaml wins).

    Raises QuestionnaireError with every problem in every file.
    """
    folders = [Path(f) for f in (folders or [default_questionnaire_dir()])]
    problems: list[str] = [f"{f}: the questionnaire folder does not exist" for f in folders if not f.is_dir()]
    questionnaires: dict[str, Questionnaire] = {}
    for path in questionnaire_files(folders):
        try:
            q = load_questionnaire(path)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        if q.id in questionnaires:
            problems.append(f"{path}: id {q.id!r} is already used by {questionnaires[q.id].source}")
            continue
        questionnaires[q.id] = q
    problems.extend(check_unique_question_ids(questionnaires.values()))
    problems.extend(check_same_as(questionnaires.values()))
    profile = None
    for folder in folders:
        candidate = folder / PROFILE_FILE
        if candidate.exists():
            try:
                profile = load_profile(candidate)
            except QuestionnaireError as exc:
                problems.extend(exc.problems)
            break
    if profile is None and not problems:
        problems.append(f"{PROFILE_FILE}: not found in {', '.join(str(f) for f in folders)}")
    retired, retired_problems = load_retired(folders, questionnaires)
    problems.extend(retired_problems)
    if problems:
        raise QuestionnaireError(problems)
    assert profile is not None
    return QuestionBank(questionnaires=dict(sorted(questionnaires.items())), profile=profile, retired=retired)
