"""The assess/1 exchange format: round trips, and one rejection per kind of problem with its path."""

import copy
import json

import pytest

from assess.example import example_organization
from assess.exchange import ExchangeError, dump_exchange, organization_to_json, parse_exchange, read_exchange


def valid():
    return {
        "format": "assess/1",
        "organization": {
            "name": "Acme Water Ltd",
            "profile": {"org.legal_name": "Acme Water Ltd", "complaints.ack_days": 2},
        },
        "assessments": [
            {
                "questionnaire": "iso10002-2018",
                "title": "Baseline",
                "target": 3,
                "answers": {
                    "10002-4.5-a": {"value": 3, "note": "web form and phone", "evidence": "website page"},
                    "10002-4.8-a": {"value": "na", "reason": "regulator forbids charges anyway"},
                    "10002-7.4-a": {"value": "unknown"},
                },
            }
        ],
    }


def test_design_example_reads(bank):
    org = read_exchange(valid(), bank)
    assert org.name == "Acme Water Ltd"
    assert org.profile == {"org.legal_name": "Acme Water Ltd", "complaints.ack_days": 2}
    answers = org.assessments[0].answers
    assert answers["10002-4.5-a"].value == 3
    assert answers["10002-4.5-a"].note == "web form and phone"
    assert answers["10002-4.8-a"].reason == "regulator forbids charges anyway"
    assert answers["10002-7.4-a"].value == "unknown"


@pytest.mark.parametrize("profile", ["full", "partial", "empty"])
def test_example_round_trips_exactly(bank, profile):
    org = example_organization(bank, profile=profile)
    again = parse_exchange(dump_exchange(org), bank)
    assert organization_to_json(again) == organization_to_json(org)
    assert again == org


def test_round_trip_keeps_unicode_and_markup(bank):
    data = valid()
    data["organization"]["name"] = 'R&D <team> "quoted" – ünïcödé 🚰'
    data["assessments"][0]["answers"]["10002-4.5-a"]["note"] = "a < b & c > d\nsecond line"
    org = read_exchange(data, bank)
    assert json.loads(dump_exchange(org))["organization"]["name"] == data["organization"]["name"]


def rejected(bank, data):
    with pytest.raises(ExchangeError) as info:
        read_exchange(data, bank)
    return info.value.problems


def answers(data):
    return data["assessments"][0]["answers"]


CASES = [
    (
        "bad level",
        lambda d: answers(d)["10002-4.5-a"].update(value=7),
        'assessments[0].answers["10002-4.5-a"].value: must be 0..4, "na" or "unknown", got 7',
    ),
    (
        "level as text",
        lambda d: answers(d)["10002-4.5-a"].update(value="3"),
        'assessments[0].answers["10002-4.5-a"].value: must be 0..4, "na" or "unknown", got "3"',
    ),
    (
        "boolean level",
        lambda d: answers(d)["10002-4.5-a"].update(value=True),
        'assessments[0].answers["10002-4.5-a"].value: must be 0..4, "na" or "unknown", got true',
    ),
    (
        "missing value",
        lambda d: answers(d)["10002-4.5-a"].pop("value"),
        'assessments[0].answers["10002-4.5-a"].value: is required',
    ),
    (
        "na without reason",
        lambda d: answers(d)["10002-4.8-a"].pop("reason"),
        'assessments[0].answers["10002-4.8-a"].reason: is required when the value is "na"',
    ),
    (
        "na with blank reason",
        lambda d: answers(d)["10002-4.8-a"].update(reason="  "),
        'assessments[0].answers["10002-4.8-a"].reason: is required when the value is "na"',
    ),
    (
        "unknown question",
        lambda d: answers(d).update({"10002-99.9-z": {"value": 1}}),
        'assessments[0].answers["10002-99.9-z"]: is not a question of iso10002-2018',
    ),
    (
        "question of another questionnaire",
        lambda d: answers(d).update({"10001-4.2-a": {"value": 1}}),
        'assessments[0].answers["10001-4.2-a"]: is not a question of iso10002-2018',
    ),
    (
        "unknown questionnaire",
        lambda d: d["assessments"][0].update(questionnaire="iso9001-2015"),
        'assessments[0].questionnaire: unknown questionnaire "iso9001-2015"',
    ),
    (
        "bad target",
        lambda d: d["assessments"][0].update(target=5),
        "assessments[0].target: must be a level 1..4, got 5",
    ),
    (
        "zero target",
        lambda d: d["assessments"][0].update(target=0),
        "assessments[0].target: must be a level 1..4, got 0",
    ),
    (
        "target as text",
        lambda d: d["assessments"][0].update(target="3"),
        'assessments[0].target: must be a level 1..4, got "3"',
    ),
    ("missing title", lambda d: d["assessments"][0].pop("title"), "assessments[0].title: is required"),
    (
        "empty title",
        lambda d: d["assessments"][0].update(title=" "),
        'assessments[0].title: must be non-empty text, got " "',
    ),
    (
        "note not text",
        lambda d: answers(d)["10002-4.5-a"].update(note=5),
        'assessments[0].answers["10002-4.5-a"].note: must be text, got 5',
    ),
    (
        "answer not an object",
        lambda d: answers(d).update({"10002-4.5-a": 3}),
        'assessments[0].answers["10002-4.5-a"]: must be an object, got 3',
    ),
    (
        "unknown answer field",
        lambda d: answers(d)["10002-4.5-a"].update(comment="x"),
        'assessments[0].answers["10002-4.5-a"].comment: unknown field',
    ),
    (
        "answers not an object",
        lambda d: d["assessments"][0].update(answers=[]),
        "assessments[0].answers: must be an object keyed by question id, got a list",
    ),
    (
        "assessments not a list",
        lambda d: d.update(assessments={}),
        "assessments: must be a list, got an object",
    ),
    ("wrong format", lambda d: d.update(format="assess/2"), 'format: must be "assess/1", got "assess/2"'),
    ("missing format", lambda d: d.pop("format"), "format: is required"),
    ("unknown top field", lambda d: d.update(extra=1), "extra: unknown field"),
    ("missing organization name", lambda d: d["organization"].pop("name"), "organization.name: is required"),
    (
        "unknown profile fact",
        lambda d: d["organization"]["profile"].update({"org.colour": "red"}),
        'organization.profile["org.colour"]: is not a fact of the profile',
    ),
    (
        "profile number as text",
        lambda d: d["organization"]["profile"].update({"complaints.ack_days": "two"}),
        'organization.profile["complaints.ack_days"]: must be a number of 0 or more, got "two"',
    ),
    (
        "profile choice not offered",
        lambda d: d["organization"]["profile"].update({"org.size": "huge"}),
        'organization.profile["org.size"]: must be one of',
    ),
    (
        "profile multichoice wrong",
        lambda d: d["organization"]["profile"].update({"complaints.channels": ["Pigeon"]}),
        'organization.profile["complaints.channels"]: must be a list of choices',
    ),
    (
        "profile bad email",
        lambda d: d["organization"]["profile"].update({"complaints.email": "nobody"}),
        'organization.profile["complaints.email"]: must be an email address',
    ),
    (
        "profile bad url",
        lambda d: d["organization"]["profile"].update({"org.website": "javascript:alert(1)"}),
        'organization.profile["org.website"]: must be a web address starting with http:// or https://',
    ),
    (
        "profile bad date",
        lambda d: d["organization"]["profile"].update({"documents.effective_date": "1/12/2026"}),
        'organization.profile["documents.effective_date"]: must be a date YYYY-MM-DD',
    ),
    (
        "profile list item wrong",
        lambda d: d["organization"]["profile"].update({"code.promises": [{"promise": "x", "colour": "y"}]}),
        "organization.profile[\"code.promises\"]: item 0 has unknown field 'colour'",
    ),
]


@pytest.mark.parametrize("name,change,expected", CASES, ids=[c[0] for c in CASES])
def test_rejection_names_the_json_path(bank, name, change, expected):
    data = copy.deepcopy(valid())
    change(data)
    problems = rejected(bank, data)
    assert any(p.startswith(expected) for p in problems), problems


def test_na_refused_where_not_allowed(bank):
    questionnaire = bank.questionnaire("iso10002-2018")
    strict = next(q for q in questionnaire.questions if not q.allow_na)
    data = valid()
    answers(data)[strict.id] = {"value": "na", "reason": "we think so"}
    assert f'assessments[0].answers["{strict.id}"].value: "na" is not allowed for this question' in rejected(
        bank, data
    )


def test_every_problem_is_reported_at_once(bank):
    data = valid()
    answers(data)["10002-4.5-a"]["value"] = 9
    answers(data)["10002-4.8-a"].pop("reason")
    data["assessments"][0]["target"] = 7
    assert len(rejected(bank, data)) == 3


def test_not_json_is_rejected(bank):
    with pytest.raises(ExchangeError) as info:
        parse_exchange("{not json", bank)
    assert info.value.problems[0].startswith("not valid JSON")


def test_deeply_nested_json_is_rejected_cleanly(bank):
    with pytest.raises(ExchangeError):
        parse_exchange("[" * 100000 + "]" * 100000, bank)
