"""The assess/1 exchange format: round trips, and one rejection per kind of problem with its path."""

import copy
import json

import pytest

from assess.core.answers import Answer
from assess.formats.example import example_organization
from assess.formats.exchange import ExchangeError, dump_exchange, organization_to_json, parse_exchange, read_exchange


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
        'organization.profile["complaints.ack_days"]: must be a number from 0 to 60, got "two"',
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
    assert f'assessments[0].answers["{strict.id}"].value: "na" is not allowed for this question' in rejected(bank, data)


def test_every_problem_is_reported_at_once(bank):
    data = valid()
    answers(data)["10002-4.5-a"]["value"] = 9
    answers(data)["10002-4.8-a"].pop("reason")
    data["assessments"][0]["target"] = 7
    assert len(rejected(bank, data)) == 3


def test_not_json_is_rejected(bank):
    with pytest.raises(ExchangeError) as info:
        parse_exchange("{not json", bank)
    assert info.value.problems == ["not valid JSON: the text breaks off or has a mistake at line 1, column 2"]


@pytest.mark.parametrize("raw", [b"\xff\xfe{", "caf\u00e9".encode("latin-1")])
def test_a_file_that_is_not_utf8_is_refused_in_plain_words(bank, raw):
    with pytest.raises(ExchangeError) as info:
        parse_exchange(raw, bank)
    assert info.value.problems == ["the file is not text in UTF-8: upload the .json file that Export made"]
    assert "codec" not in info.value.problems[0]


def test_deeply_nested_json_is_rejected_cleanly(bank):
    with pytest.raises(ExchangeError):
        parse_exchange("[" * 100000 + "]" * 100000, bank)


# --- the action plan (optional, in the organization) ---


def with_actions():
    data = valid()
    data["organization"]["actions"] = [
        {
            "questionnaire": "iso10002-2018",
            "question": "10002-7.4-a",
            "clause": "7.4",
            "what": "Write down who decides | and how *fast*",
            "owner": "Dana Scully",
            "due": "2027-03-31",
            "status": "in progress",
            "priority": 12,
            "assessment": 0,
        },
        {"questionnaire": "iso10002-2018", "question": "10002-4.5-a", "what": "Add a web form"},
    ]
    return data


def test_actions_round_trip_and_defaults(bank):
    org = read_exchange(with_actions(), bank)
    first, second = org.actions
    assert (first.status, first.due, first.assessment, first.priority) == ("in progress", "2027-03-31", 0, 12)
    assert (second.clause, second.status, second.owner, second.due, second.assessment) == ("4.5", "open", "", "", None)
    again = parse_exchange(dump_exchange(org), bank)
    assert again == org
    assert "assessment" not in organization_to_json(org)["organization"]["actions"][1]


def test_files_without_actions_read_and_write_as_before(bank):
    org = read_exchange(valid(), bank)
    assert org.actions == ()
    assert "actions" not in organization_to_json(org)["organization"]


def action(d, i=0):
    return d["organization"]["actions"][i]


ACTION_CASES = [
    ("not a list", lambda d: d["organization"].update(actions={}), "organization.actions: must be a list"),
    ("missing what", lambda d: action(d).pop("what"), "organization.actions[0].what: is required"),
    ("empty what", lambda d: action(d).update(what=" "), "organization.actions[0].what: must be non-empty text"),
    (
        "unknown questionnaire",
        lambda d: action(d).update(questionnaire="iso9001"),
        'organization.actions[0].questionnaire: unknown questionnaire "iso9001"',
    ),
    (
        "question of another questionnaire",
        lambda d: action(d).update(question="10001-4.2-a"),
        'organization.actions[0].question: is not a question of iso10002-2018: "10001-4.2-a"',
    ),
    ("unknown clause", lambda d: action(d).update(clause="99"), "organization.actions[0].clause: is not a clause"),
    (
        "bad status",
        lambda d: action(d).update(status="finished"),
        'organization.actions[0].status: must be one of "open", "in progress", "done", got "finished"',
    ),
    (
        "bad due date",
        lambda d: action(d).update(due="31/03/2027"),
        'organization.actions[0].due: must be a date YYYY-MM-DD or empty, got "31/03/2027"',
    ),
    ("impossible due date", lambda d: action(d).update(due="2027-02-30"), "organization.actions[0].due: must be"),
    ("negative priority", lambda d: action(d).update(priority=-1), "organization.actions[0].priority: must be"),
    (
        "assessment out of range",
        lambda d: action(d).update(assessment=3),
        "organization.actions[0].assessment: must be an index into assessments, got 3",
    ),
    (
        "assessment of another questionnaire",
        lambda d: d["assessments"][0].update(questionnaire="iso10001-2018", answers={}),
        'organization.actions[0].assessment: assessments[0] is not an assessment of "iso10002-2018"',
    ),
    ("unknown field", lambda d: action(d, 1).update(cost=5), "organization.actions[1].cost: unknown field"),
    ("owner too long", lambda d: action(d).update(owner="x" * 201), "organization.actions[0].owner: must be at most"),
]


@pytest.mark.parametrize("name,change,expected", ACTION_CASES, ids=[c[0] for c in ACTION_CASES])
def test_action_rejection_names_the_json_path(bank, name, change, expected):
    data = with_actions()
    change(data)
    problems = rejected(bank, data)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    "text,path",
    [
        ('{"format": "assess/1", "\\ud800": null, "organization": {"name": "x"}}', '["\\ud800"]: the field name'),
        ('{"format": "assess/1", "organization": {"name": "Acme \\ud800"}}', "organization.name: contains text"),
        (
            '{"format": "assess/1", "organization": {"name": "A", "profile": {"org.legal_name": "x\\udc00"}}}',
            'organization.profile["org.legal_name"]: contains text',
        ),
    ],
)
def test_lone_surrogates_are_refused_with_their_path(bank, text, path):
    with pytest.raises(ExchangeError) as info:
        parse_exchange(text, bank)
    assert any(p.startswith(path) for p in info.value.problems), info.value.problems
    "\n".join(info.value.problems).encode("utf-8")  # every message can be shown


# --- question ids retired since a file was written ------------------------------------------------


def test_an_answer_to_a_retired_id_moves_to_the_question_that_replaced_it(bank):
    data = valid()
    answers(data).clear()
    answers(data)["10002-4.3-b"] = {"value": 2, "note": "weekly backlog report"}  # retired: now 10002-7.3-c
    org = read_exchange(data, bank)
    assert org.assessments[0].answers == {"10002-7.3-c": Answer(2, note="weekly backlog report")}


def test_the_replacements_own_answer_wins_over_the_retired_ids(bank):
    data = valid()
    answers(data).clear()
    answers(data)["10002-4.3-b"] = {"value": 2}
    answers(data)["10002-7.3-c"] = {"value": 4}
    assert read_exchange(data, bank).assessments[0].answers == {"10002-7.3-c": Answer(4)}


def test_a_retired_id_without_a_replacement_is_named_in_the_refusal(bank):
    from dataclasses import replace

    from assess.core.questionnaire import Retired

    gone = Retired("10002-9.9-z", "iso10002-2018", (), "asked about a practice the 2018 edition dropped")
    data = valid()
    answers(data)["10002-9.9-z"] = {"value": 1}
    problems = rejected(replace(bank, retired={**bank.retired, gone.id: gone}), data)
    assert any('"10002-9.9-z"]: was retired (asked about a practice' in p for p in problems), problems
