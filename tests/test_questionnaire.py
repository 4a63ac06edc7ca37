"""The questionnaire loader: shipped files validate, broken files are reported precisely."""

import copy
from pathlib import Path

import pytest
import yaml

from assess.core.conditions import ConditionError, parse_condition
from assess.core.facts import FACT_TYPES
from assess.core.questionnaire import QuestionnaireError
from assess.formats.questionnaires import (
    default_questionnaire_dir,
    load_bank,
    load_profile,
    load_questionnaire,
    questionnaire_files,
)

SHIPPED = questionnaire_files([default_questionnaire_dir()])


def minimal():
    question = {
        "id": "t-4.2-a",
        "text": "Is it done?",
        "help": "Good looks like this.",
        "evidence": "A record.",
        "recommendation": "Do it.",
        "weight": 2,
    }
    return {
        "id": "iso-test",
        "standard": "ISO 99999",
        "edition": "2018",
        "title": "Test",
        "document": "complaints-procedure",
        "clauses": [
            {
                "ref": "4",
                "title": "Principles",
                "clauses": [
                    {"ref": "4.2", "title": "Commitment", "questions": [question]},
                    {
                        "ref": "4.3",
                        "title": "Capacity",
                        "questions": [dict(question, id="t-4.3-a"), dict(question, id="t-4.3-b")],
                    },
                ],
            }
        ],
    }


def write(tmp_path: Path, data, name="iso-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path, data, name="iso-test.yaml"):
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(write(tmp_path, data, name))
    return info.value.problems


def q(data, clause=1, index=0):
    return data["clauses"][0]["clauses"][clause]["questions"][index]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_questionnaire_loads(path):
    questionnaire = load_questionnaire(path)
    assert questionnaire.id == path.stem
    assert questionnaire.questions


def test_shipped_bank_loads_with_profile():
    bank = load_bank()
    assert set(bank.questionnaires) == {"iso10001-2018", "iso10002-2018", "iso10003-2018"}
    assert bank.profile.fact("org.legal_name").type == "text"


def test_minimal_file_loads_into_dataclasses(tmp_path):
    questionnaire = load_questionnaire(write(tmp_path, minimal()))
    assert [c.ref for c in questionnaire.all_clauses()] == ["4", "4.2", "4.3"]
    assert [x.id for x in questionnaire.questions] == ["t-4.2-a", "t-4.3-a", "t-4.3-b"]
    assert questionnaire.question("t-4.3-b").clause_ref == "4.3"
    assert questionnaire.question("t-4.2-a").allow_na is True
    assert questionnaire.clause("4.2").confirmed is True


def mutate(fn):
    data = minimal()
    fn(data)
    return data


BROKEN = [
    (
        "weight out of range",
        lambda d: q(d).update(weight=5),
        "iso-test.yaml: clauses[0].clauses[1].questions[0].weight: must be 1..3, got 5",
    ),
    (
        "weight of wrong type",
        lambda d: q(d).update(weight="high"),
        "clauses[0].clauses[1].questions[0].weight: must be 1..3, got 'high'",
    ),
    (
        "weight null",
        lambda d: q(d).update(weight=None),
        "clauses[0].clauses[1].questions[0].weight: must be 1..3, got nothing",
    ),
    (
        "missing text",
        lambda d: q(d).pop("text"),
        "clauses[0].clauses[1].questions[0].text: is required",
    ),
    (
        "empty help",
        lambda d: q(d).update(help="  "),
        "clauses[0].clauses[1].questions[0].help: must be non-empty text",
    ),
    (
        "unknown question key",
        lambda d: q(d).update(wieght=2),
        "clauses[0].clauses[1].questions[0].wieght: unknown key",
    ),
    (
        "unknown clause key",
        lambda d: d["clauses"][0].update(titel="x"),
        "clauses[0].titel: unknown key",
    ),
    ("unknown top key", lambda d: d.update(author="me"), "iso-test.yaml: author: unknown key"),
    ("missing top key", lambda d: d.pop("standard"), "iso-test.yaml: standard: is required"),
    (
        "id differs from file stem",
        lambda d: d.update(id="iso-other"),
        "id: must equal the file name stem 'iso-test', got 'iso-other'",
    ),
    (
        "unquoted edition",
        lambda d: d.update(edition=2018),
        "edition: must be a quoted year",
    ),
    (
        "unknown document",
        lambda d: d.update(document="policy"),
        "document: must be one of code-of-conduct",
    ),
    (
        "duplicate question id in file",
        lambda d: q(d, 1, 1).update(id="t-4.3-a"),
        "clauses[0].clauses[1].questions[1].id: 't-4.3-a' is used twice in this file",
    ),
    (
        "duplicate ref",
        lambda d: d["clauses"][0]["clauses"][1].update(ref="4.2"),
        "clauses[0].clauses[1].ref: '4.2' is used twice in this file",
    ),
    (
        "ref nested under the wrong parent",
        lambda d: d["clauses"][0]["clauses"][1].update(ref="7.4"),
        "clauses[0].clauses[1].ref: '7.4' cannot sit under clause '4'",
    ),
    (
        "ref skipping a level",
        lambda d: d["clauses"][0]["clauses"][1].update(ref="4.3.1"),
        "clauses[0].clauses[1].ref: '4.3.1' cannot sit under clause '4'",
    ),
    (
        "sub-clause at top level",
        lambda d: d["clauses"].append({"ref": "5.1", "title": "x", "questions": [dict(q(d), id="n")]}),
        "clauses[1].ref: '5.1' is a sub-clause but stands at the top level",
    ),
    (
        "numeric ref",
        lambda d: d["clauses"][0].update(ref=4),
        'clauses[0].ref: must be a quoted string such as "4", got a number',
    ),
    (
        "malformed ref",
        lambda d: d["clauses"][0].update(ref="4a"),
        'clauses[0].ref: must look like "7" or "7.4.1", got \'4a\'',
    ),
    (
        "empty clause",
        lambda d: d["clauses"][0]["clauses"][0].pop("questions"),
        "clauses[0].clauses[0]: clause '4.2' has neither sub-clauses nor questions",
    ),
    (
        "key not boolean",
        lambda d: q(d).update(key="yes"),
        "clauses[0].clauses[1].questions[0].key: must be true or false, got 'yes'",
    ),
    (
        "allow_na not boolean",
        lambda d: q(d).update(allow_na=1),
        "clauses[0].clauses[1].questions[0].allow_na: must be true or false, got 1",
    ),
    (
        "confirmed not boolean",
        lambda d: d["clauses"][0].update(confirmed="no"),
        "clauses[0].confirmed: must be true or false, got 'no'",
    ),
    (
        "previous_ref malformed",
        lambda d: d["clauses"][0].update(previous_ref=4.3),
        "clauses[0].previous_ref: must be a quoted clause number",
    ),
    (
        "show_if names unknown question",
        lambda d: q(d, 1, 1).update(show_if="t-9-z >= 2"),
        "clauses[0].clauses[1].questions[1].show_if: names 't-9-z', which is not a question earlier in this file",
    ),
    (
        "show_if names a later question",
        lambda d: q(d, 1, 0).update(show_if="t-4.3-b >= 2"),
        "questions[0].show_if: names 't-4.3-b', which is not a question earlier in this file",
    ),
    (
        "show_if on itself",
        lambda d: q(d, 1, 0).update(show_if="t-4.3-a >= 2"),
        "questions[0].show_if: a question cannot depend on itself ('t-4.3-a')",
    ),
    (
        "show_if bad value",
        lambda d: q(d, 1, 0).update(show_if="t-4.2-a >= 7"),
        "questions[0].show_if: value must be a level 0-4, 'na' or 'unknown', got '7'",
    ),
    (
        "show_if ordering with na",
        lambda d: q(d, 1, 0).update(show_if="t-4.2-a >= na"),
        "questions[0].show_if: 'na' can only be compared with == or !=",
    ),
    (
        "show_if garbage",
        lambda d: q(d, 1, 0).update(show_if="t-4.2-a ~ 2"),
        "questions[0].show_if: unexpected character '~'",
    ),
    (
        "levels missing one",
        lambda d: q(d).update(levels={0: "a", 1: "b", 2: "c", 3: "d"}),
        "clauses[0].clauses[1].questions[0].levels: must map exactly the levels 0, 1, 2, 3 and 4 to text, "
        "got keys 0, 1, 2, 3",
    ),
    (
        "levels not a mapping",
        lambda d: q(d).update(levels=["a", "b", "c", "d", "e"]),
        "questions[0].levels: must map exactly the levels 0, 1, 2, 3 and 4 to text, got a list",
    ),
    (
        "level text empty",
        lambda d: q(d).update(levels={0: "a", 1: "b", 2: "c", 3: "d", 4: " "}),
        "questions[0].levels.4: must be non-empty text, got ' '",
    ),
    (
        "same_as not an id",
        lambda d: q(d).update(same_as=12),
        "questions[0].same_as: must be the id of a question in another file, got 12",
    ),
    (
        "clauses not a list",
        lambda d: d.update(clauses={"ref": "4"}),
        "clauses: must be a non-empty list, got a mapping",
    ),
    (
        "question not a mapping",
        lambda d: d["clauses"][0]["clauses"][0]["questions"].append("oops"),
        "clauses[0].clauses[0].questions[1]: must be a mapping, got 'oops'",
    ),
]


@pytest.mark.parametrize("name,change,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_names_the_field(tmp_path, name, change, expected):
    problems = problems_of(tmp_path, mutate(change))
    assert any(expected in p for p in problems), problems


def test_every_problem_in_a_file_is_reported_together(tmp_path):
    data = minimal()
    q(data).update(weight=9)
    q(data, 1, 1).pop("evidence")
    data["clauses"][0].update(titel="x")
    problems = problems_of(tmp_path, data)
    assert len(problems) == 3
    assert all(p.startswith("iso-test.yaml: ") for p in problems)


def test_invalid_yaml_reports_line(tmp_path):
    path = tmp_path / "iso-test.yaml"
    path.write_text("id: iso-test\nclauses: [\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert "iso-test.yaml: is not valid YAML: line" in info.value.problems[0]


def test_unsafe_yaml_tags_are_refused(tmp_path):
    path = tmp_path / "iso-test.yaml"
    path.write_text("id: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert "is not valid YAML" in info.value.problems[0]


def test_question_ids_must_be_unique_across_files(tmp_path):
    write(tmp_path, minimal(), "iso-test.yaml")
    other = copy.deepcopy(minimal())
    other["id"] = "iso-other"
    write(tmp_path, other, "iso-other.yaml")
    (tmp_path / "profile.yaml").write_text(
        (default_questionnaire_dir() / "profile.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(QuestionnaireError) as info:
        load_bank([tmp_path])
    assert (
        "iso-test.yaml: question 't-4.2-a' is also in iso-other.yaml (question ids must be unique across all files)"
    ) in info.value.problems


def test_anchored_levels_load_in_order(tmp_path):
    data = minimal()
    q(data).update(levels={4: "e", 0: "a", 1: "b", 2: "c", 3: "d"})
    questionnaire = load_questionnaire(write(tmp_path, data))
    assert questionnaire.question("t-4.3-a").levels == ("a", "b", "c", "d", "e")
    assert questionnaire.question("t-4.2-a").levels == ()


def _two_banks(tmp_path, same_as, other_allow_na=True):
    this = minimal()
    q(this).update(same_as=same_as)
    other = copy.deepcopy(minimal())
    other["id"] = "iso-other"
    for clause in other["clauses"][0]["clauses"]:
        for question in clause["questions"]:
            question["id"] = "o" + question["id"][1:]
            question["allow_na"] = other_allow_na
    write(tmp_path, this, "iso-test.yaml")
    write(tmp_path, other, "iso-other.yaml")
    (tmp_path / "profile.yaml").write_text(
        (default_questionnaire_dir() / "profile.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return tmp_path


def test_same_as_links_a_question_of_another_bank(tmp_path):
    bank = load_bank([_two_banks(tmp_path, "o-4.2-a")])
    assert bank.questionnaire("iso-test").question("t-4.3-a").same_as == "o-4.2-a"


@pytest.mark.parametrize(
    "target,allow_na,expected",
    [
        ("nowhere-1", True, "iso-test.yaml: question 't-4.3-a': same_as: 'nowhere-1' is not a question of any"),
        ("t-4.2-a", True, "'t-4.2-a' is in the same file (same_as links two banks)"),
        ("o-4.2-a", False, "'o-4.2-a' does not allow not applicable and this question does"),
    ],
)
def test_same_as_must_name_a_compatible_question_elsewhere(tmp_path, target, allow_na, expected):
    with pytest.raises(QuestionnaireError) as info:
        load_bank([_two_banks(tmp_path, target, allow_na)])
    assert any(expected in p for p in info.value.problems), info.value.problems


# --- profile ---


def profile_problems(tmp_path, fact):
    path = tmp_path / "profile.yaml"
    data = {"sections": [{"title": "Org", "facts": [fact]}]}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_profile(path)
    return info.value.problems


PROFILE_BROKEN = [
    ({"id": "org.x", "text": "X", "type": "colour"}, "sections[0].facts[0].type: must be one of text"),
    (
        {"id": "org.x", "text": "X", "type": "choice"},
        "sections[0].facts[0].choices: must be a non-empty list",
    ),
    (
        {"id": "org.x", "text": "X", "type": "text", "choices": ["a"]},
        "sections[0].facts[0].choices: only goes with type choice or multichoice",
    ),
    (
        {"id": "org.x", "text": "X", "type": "text", "required_for": ["policy"]},
        "sections[0].facts[0].required_for[0]: must be one of code-of-conduct",
    ),
    ({"id": "OrgX", "text": "X", "type": "text"}, "sections[0].facts[0].id: must look like 'group.name'"),
    ({"id": "org.x", "text": "X", "type": "text", "colour": 1}, "sections[0].facts[0].colour: unknown key"),
    (
        {"id": "org.x", "text": "X", "type": "list", "fields": [{"id": "A b", "text": "x"}]},
        "sections[0].facts[0].fields[0].id: must be a lower-case name",
    ),
    ({"id": "org.x", "type": "text"}, "sections[0].facts[0].text: is required"),
]


@pytest.mark.parametrize(
    "fact,expected", PROFILE_BROKEN, ids=[p[1].split(": ")[0] + p[1][-12:] for p in PROFILE_BROKEN]
)
def test_broken_profile_names_the_field(tmp_path, fact, expected):
    problems = profile_problems(tmp_path, fact)
    assert any(p.startswith("profile.yaml: " + expected) for p in problems), problems


@pytest.mark.parametrize("fact_type", sorted(FACT_TYPES))
def test_every_fact_type_loads(tmp_path, fact_type):
    fact = {"id": "org.x", "text": "X", "type": fact_type}
    if fact_type in ("choice", "multichoice"):
        fact["choices"] = ["a", "b"]
    if fact_type == "list":
        fact["fields"] = [{"id": "promise", "text": "Promise"}]
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump({"sections": [{"title": "Org", "facts": [fact]}]}), encoding="utf-8")
    assert load_profile(path).fact("org.x").type == fact_type


# --- show_if language ---


@pytest.mark.parametrize(
    "source,answers,expected",
    [
        ("a >= 2", {"a": 2}, True),
        ("a >= 2", {"a": 1}, False),
        ("a >= 2", {}, False),
        ("a >= 2", {"a": "unknown"}, False),
        ("a < 2", {"a": "na"}, False),
        ("a == na", {"a": "na"}, True),
        ("a != na", {"a": 3}, True),
        ("a != na", {}, False),
        ("a == unknown", {"a": "unknown"}, True),
        ("a == 0", {"a": 0}, True),
        ("a > 1 and b < 3", {"a": 2, "b": 2}, True),
        ("a > 1 and b < 3", {"a": 2, "b": 3}, False),
        ("a > 1 or b < 3", {"a": 0, "b": 2}, True),
        # and binds tighter than or: a==1 or (b==1 and c==1)
        ("a == 1 or b == 1 and c == 1", {"a": 1, "b": 0, "c": 0}, True),
        ("a == 1 or b == 1 and c == 1", {"a": 0, "b": 1, "c": 0}, False),
    ],
)
def test_condition_evaluation(source, answers, expected):
    assert parse_condition(source).holds(answers) is expected


@pytest.mark.parametrize(
    "source", ["", "a", "a >=", "a >= 2 and", "a >= 2 b == 1", "a = 2", "__import__('os') == 1", ">= 2 a"]
)
def test_condition_syntax_errors_are_rejected(source):
    with pytest.raises(ConditionError):
        parse_condition(source)
