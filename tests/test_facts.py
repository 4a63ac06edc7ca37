"""The fact-type registry: every type of profile.yaml has its keys, check, widget and document text."""

import pytest

from assess.core.facts import FACT_TYPES, Fact, FactField, FactProblem, check_fact_value, fact_text
from assess.web.forms import FACT_WIDGETS, profile_form

SAMPLES = {
    "text": ("Acme Water", "Acme Water"),
    "longtext": ("1 High Street\nTown", "1 High Street\nTown"),
    "number": (10, "10"),
    "choice": ("Yes", "Yes"),
    "multichoice": (["Yes", "No"], "Yes and No"),
    "date": ("2026-12-01", "1 December 2026"),
    "email": ("a@example.org", "a@example.org"),
    "url": ("https://example.org", "https://example.org"),
    "list": ([{"name": "Ann", "role": "Lead"}], "Ann \u2013 Lead"),
}
BAD = {
    "text": "two\nlines",
    "longtext": 12,
    "number": float("inf"),
    "choice": "Maybe",
    "multichoice": ["Maybe"],
    "date": "2026-02-30",
    "email": "nobody",
    "url": "ftp://example.org",
    "list": "not a list",
}


def fact_of(kind: str) -> Fact:
    extra = {}
    if kind in ("choice", "multichoice"):
        extra["choices"] = ("Yes", "No")
    if kind == "list":
        extra["fields"] = (FactField("name", "Name"), FactField("role", "Role"))
    return Fact(id="org.x", text="X", type=kind, section="S", **extra)


def test_the_registry_and_the_samples_name_the_same_types():
    assert set(FACT_TYPES) == set(SAMPLES) == set(BAD)


@pytest.mark.parametrize("kind", sorted(FACT_TYPES))
def test_every_fact_type_has_a_widget_that_edits_it(kind):
    assert FACT_TYPES[kind].widget in FACT_WIDGETS


@pytest.mark.parametrize("kind", sorted(FACT_TYPES))
def test_every_fact_type_checks_and_writes_its_value(kind):
    value, text = SAMPLES[kind]
    fact = fact_of(kind)
    assert fact_text(fact, check_fact_value(fact, value)) == text


@pytest.mark.parametrize("kind", sorted(FACT_TYPES))
def test_every_fact_type_refuses_a_bad_value_in_words(kind):
    with pytest.raises(FactProblem, match="must"):
        check_fact_value(fact_of(kind), BAD[kind])


@pytest.mark.parametrize("kind", sorted(FACT_TYPES))
def test_every_fact_type_builds_a_form_field(app, kind):
    with app.test_request_context():
        form = profile_form([fact_of(kind)], {})
        assert form["org__x"].label.text == "X"


@pytest.mark.parametrize("value", [-1, 1_000_001, float("nan"), True, "3"])
def test_a_number_fact_keeps_to_its_bounds(value):
    with pytest.raises(FactProblem, match="must be a number from 0 to 1000000"):
        check_fact_value(fact_of("number"), value)


def test_a_number_fact_has_the_bounds_its_definition_gives():
    fact = Fact(id="review.cycle_months", text="Months", type="number", section="S", minimum=1, maximum=60)
    assert check_fact_value(fact, 24) == 24
    with pytest.raises(FactProblem, match="from 1 to 60, got 200000"):
        check_fact_value(fact, 200000)
