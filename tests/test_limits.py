"""Absurd values: JSON too deep, too large or too long, numbers no field can hold, and text that hides
what it says. Each is refused with its JSON path (or field), and nothing is stored."""

import copy
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from assess.core.checks import printable, text_problem
from assess.core.problems import MAX_LISTED, ProblemList, ProblemsFound
from assess.formats.exchange import ExchangeError, parse_exchange, read_exchange
from assess.formats.limits import MAX_DEPTH, MAX_JSON_BYTES
from tests.test_exchange import valid, with_actions


def refused(bank, document):
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(ExchangeError) as info:
        parse_exchange(text, bank)
    problems = info.value.problems
    "\n".join(problems).encode("utf-8")  # every message can be shown
    return problems


def nested(depth):
    value: object = "deep"
    for _ in range(depth):
        value = [value]
    return value


def test_a_profile_value_nested_500_deep_is_refused_with_its_path(bank):
    data = valid()
    data["organization"]["profile"]["complaints.channels"] = nested(500)
    [problem] = refused(bank, data)
    assert problem.startswith('organization.profile["complaints.channels"]' + "[0]" * (MAX_DEPTH - 3))
    assert problem.endswith(f"is nested more than {MAX_DEPTH} lists and objects deep")


def test_json_nested_beyond_the_parser_is_refused(bank):
    [problem] = refused(bank, "[" * 100_000 + "]" * 100_000)
    assert problem == f"not valid JSON: lists and objects are nested far more than {MAX_DEPTH} deep"


@pytest.mark.parametrize(
    "where,raw,expected",
    [
        ("priority", "9" * 400, "is a number too large to store (400 digits)"),
        ("priority", str(2**63), "is a number too large to store (19 digits)"),
        ("priority", str(2**53 + 1), "is a number too large to store; the largest is 9,007,199,254,740,992"),
        ("priority", "1e400", "is a number too large to store (1e400)"),
        ("priority", "-Infinity", "is -Infinity, which is not a number an exchange file may hold"),
        ("priority", "NaN", "is NaN, which is not a number an exchange file may hold"),
        ("priority", "1001", "must be a whole number from 0 to 1000, got 1001"),
    ],
)
def test_numbers_no_field_can_hold_are_refused_with_their_path(bank, where, raw, expected):
    data = with_actions()
    data["organization"]["actions"][0][where] = "NUMBER"
    text = json.dumps(data).replace('"NUMBER"', raw)
    problems = refused(bank, text)
    assert any(p.startswith(f"organization.actions[0].{where}: {expected}") for p in problems), problems


def test_a_huge_number_in_the_profile_is_refused(bank):
    text = json.dumps(valid()).replace('"complaints.ack_days": 2', '"complaints.ack_days": ' + "7" * 400)
    assert refused(bank, text) == [
        'organization.profile["complaints.ack_days"]: is a number too large to store (400 digits); '
        "the largest is 9,007,199,254,740,992"
    ]


def test_a_lone_surrogate_inside_a_list_is_refused(bank, client, app):
    """The issue's case: it used to be imported, and the organization's export answered 500 from then on."""
    data = valid()
    data["assessments"][0]["workshops"] = [
        {"opened_at": "2026-11-25T09:00:00+00:00", "participants": [], "clauses": ["\ud800"]}
    ]
    text = json.dumps(data)  # json escapes the surrogate as \ud800
    assert refused(bank, text) == [
        "assessments[0].workshops[0].clauses[0]: contains text that is not valid Unicode "
        "(an unpaired surrogate escape such as \\ud800)"
    ]
    response = client.post("/orgs/import", data={"file": (io.BytesIO(text.encode()), "org.json")})
    assert response.status_code == 400
    assert "clauses[0]: contains text that is not valid Unicode" in response.get_data(as_text=True)
    assert client.get("/orgs/1/export.json").status_code == 404  # nothing was created


@pytest.mark.parametrize(
    "path,text,expected",
    [
        ("name", "Acme \u202egnp.exe", "contains a character that changes the direction of text (U+202E"),
        ("name", "Acme\x07", "contains an invisible control character (U+0007"),
        ("name", "Acme\nWater", "must be a single line"),
        ("note", "a\u2066b", "contains a character that changes the direction of text (U+2066"),
        ("note", "\ufffe", "contains a character that is not text (U+FFFE"),
    ],
)
def test_control_and_direction_characters_are_refused_where_they_enter(bank, path, text, expected):
    data = valid()
    if path == "name":
        data["organization"]["name"] = text
        where = "organization.name"
    else:
        data["assessments"][0]["answers"]["10002-4.5-a"]["note"] = text
        where = 'assessments[0].answers["10002-4.5-a"].note'
    [problem] = refused(bank, data)
    assert problem.startswith(f"{where}: {expected}"), problem


def test_line_breaks_and_tabs_stay_allowed_in_notes(bank):
    data = valid()
    data["assessments"][0]["answers"]["10002-4.5-a"]["note"] = "first\tline\r\nsecond line"
    assert read_exchange(data, bank).assessments[0].answers["10002-4.5-a"].note == "first\tline\r\nsecond line"


def test_a_file_past_the_size_limit_is_refused_before_it_is_parsed(bank):
    [problem] = refused(bank, " " * (MAX_JSON_BYTES + 1))
    assert problem == "the file is 20.0 MB; an exchange file may be at most 20 MB"


def test_a_long_field_name_is_refused(bank):
    data = valid()
    data["organization"]["x" * 1000] = 1
    [problem] = refused(bank, data)
    assert problem.endswith("a field name may be at most 200 characters")
    assert len(problem) < 200


def test_a_read_of_parsed_data_applies_the_same_limits(bank):
    data = valid()
    data["assessments"][0]["target"] = 2**64
    with pytest.raises(ExchangeError) as info:
        read_exchange(data, bank)
    assert info.value.problems == [
        "assessments[0].target: is a number too large to store; the largest is 9,007,199,254,740,992"
    ]


def test_thousands_of_problems_list_fifty_and_count_the_rest(bank):
    data = valid()
    data["assessments"][0]["answers"] = {f"no-such-{i}": {"value": 1} for i in range(1000)}
    problems = refused(bank, data)
    assert len(problems) == MAX_LISTED + 1
    assert problems[-1] == f"... and {1000 - MAX_LISTED} more problems not listed here: fix these first, then try again"


def test_a_problem_list_counts_what_it_does_not_keep():
    problems = ProblemList(f"p{i}" for i in range(120))
    assert len(problems) == 120
    assert list(problems) == [f"p{i}" for i in range(MAX_LISTED)]
    assert ProblemsFound(problems).problems[-1].startswith("... and 70 more problems")
    assert ProblemsFound(["one"]).problems == ["one"]
    assert ProblemList(["a"] * (MAX_LISTED + 1)).messages()[-1].startswith("... and 1 more problem not")


def xml_accepts(text):
    try:
        etree.Element("t").text = text
    except ValueError:  # lxml refuses what XML 1.0 cannot hold
        return False
    return True


@given(st.text())
def test_text_the_check_lets_through_can_be_written_to_any_document(text):
    """What text_problem accepts, XML (so .docx and .xlsx) can hold as it is; and every refusal can be shown."""
    problem = text_problem(text)
    if problem is None:
        assert xml_accepts(text)
    else:
        problem.encode("utf-8")
    printable(text).encode("utf-8")
    assert text_problem(printable(text)) is None


@given(st.text(alphabet=st.characters(categories=("Cc", "Cf", "Cs", "Co", "Cn"))))
def test_invisible_characters_are_refused_or_harmless(text):
    problem = text_problem(text)
    bad = set(text) - {"\t", "\n", "\r"}
    dangerous = {c for c in bad if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E}
    dangerous |= {c for c in bad if 0x2066 <= ord(c) <= 0x2069 or 0xD800 <= ord(c) <= 0xDFFF}
    assert (problem is not None) or not dangerous


def test_single_line_refuses_line_breaks():
    assert text_problem("a\rb", single_line=True) == "must be a single line"
    assert text_problem("a\tb", single_line=True) is None


def test_deep_copy_of_valid_document_still_reads(bank):
    assert read_exchange(copy.deepcopy(valid()), bank).name == "Acme Water Ltd"


def test_the_command_line_refuses_with_json_paths(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assess.cli import main

    monkeypatch.setenv("ASSESS_INSTANCE", str(tmp_path / "instance"))
    data = valid()
    data["organization"]["profile"]["complaints.channels"] = nested(100)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert "rejected, nothing was read" in result.output
    assert 'organization.profile["complaints.channels"]' in result.output
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_JSON_BYTES + 1))
    result = CliRunner().invoke(main, ["import", str(big)])
    assert result.exit_code == 1 and "an exchange file may be at most 20 MB" in result.output
    result = CliRunner().invoke(main, ["user", "add", "bo\u202eb@example.com"], input="correct horse battery staple\n")
    assert result.exit_code == 1 and "changes the direction of text" in result.output
