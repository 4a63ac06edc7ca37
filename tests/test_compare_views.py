"""The compare-rounds page: the numbers of `compare_rounds`, the chart, the trend, and refusals."""

import io
from dataclasses import replace

import pytest

from assess.core.answers import Answer
from assess.core.compare import change_text, clause_trend, compare_rounds
from assess.core.scoring import score_assessment
from assess.documents.charts import rounds_chart
from assess.formats.example import example_organization
from assess.formats.exchange import dump_exchange
from assess.store import answers as answer_store
from assess.web.database import get_db
from tests.conftest import soup

QID = "iso10002-2018"


def pct(value):
    return "–" if value is None else f"{value:.1f} %"


def follow_up(bank, assessment, title, seed):
    """The assessment with its answers moved: some up to 4, some down to 0, one left unanswered."""
    questions = bank.questionnaire(QID).questions
    answers = dict(assessment.answers)
    for i, question in enumerate(questions):
        if i % seed == 0:
            answers[question.id] = Answer(4)
        elif i % (seed + 3) == 1:
            answers[question.id] = Answer(0)
    gaps = score_assessment(bank.questionnaire(QID), assessment.values).gaps
    answers.pop(gaps[-1].question, None)  # a former gap not answered yet
    return replace(assessment, title=title, answers=answers)


def import_rounds(client, bank, rounds=2):
    """Import the example organization with `rounds` rounds of ISO 10002 (the others have one)."""
    org = example_organization(bank)
    baseline = next(a for a in org.assessments if a.questionnaire == QID)
    extra = [follow_up(bank, baseline, "Follow-up 2027", 5), follow_up(bank, baseline, "Third round 2028", 4)]
    org = replace(org, assessments=org.assessments + tuple(extra[: rounds - 1]))
    response = client.post(
        "/orgs/import",
        data={"file": (io.BytesIO(dump_exchange(org).encode()), "rounds.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, soup(response).text
    org_id = int(response.headers["Location"].split("/")[-1])
    with client.application.app_context():
        rows = answer_store.list_assessments(get_db(), org_id)
    return org_id, org, rows


def test_page_shows_the_figures_of_compare_rounds(client, bank):
    org_id, org, rows = import_rounds(client, bank)
    questionnaire = bank.questionnaire(QID)
    before, after = org.assessments[1], org.assessments[3]
    expected = compare_rounds(questionnaire, before, after)
    assert expected.gaps_closed and expected.gaps_new and expected.gaps_remaining and expected.gaps_unanswered

    page = soup(client.get(f"/orgs/{org_id}/compare"))  # defaults: the two latest rounds of ISO 10002
    assert page.select_one("#before option[selected]")["value"] == str(rows[1].id)
    assert page.select_one("#after option[selected]")["value"] == str(rows[3].id)
    assert page.select_one("#score-before").text == pct(expected.score_before)
    assert page.select_one("#score-after").text == pct(expected.score_after)
    assert page.select_one("#maturity-before").text == str(expected.maturity_before)
    assert page.select_one("#maturity-after").text == str(expected.maturity_after)
    assert page.select_one("#score-change").text.strip() == change_text(expected.change)
    table = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("#compare-table tbody tr")]
    assert table == [
        [
            f"{c.ref} {c.title}",
            pct(c.score_before),
            str(c.maturity_before or "–"),
            pct(c.score_after),
            str(c.maturity_after or "–"),
            change_text(c.change),
        ]
        for c in expected.clauses
    ]
    changes = {tr["id"]: tr.select_one(".change")["class"] for tr in page.select("#compare-table tbody tr")}
    assert any("up" in c for c in changes.values()) and any("down" in c for c in changes.values())

    def listed(table_id):
        return [tr["data-question"] for tr in page.select(f"#{table_id} tbody tr")]

    assert listed("gaps-closed") == [c.gap.question for c in expected.gaps_closed]
    assert listed("gaps-new") == [g.question for g in expected.gaps_new]
    assert listed("gaps-remaining") == [r.question for r in expected.gaps_remaining]
    assert listed("gaps-unanswered") == [g.question for g in expected.gaps_unanswered]
    assert page.select_one("#closed-count").text == str(len(expected.gaps_closed))
    assert page.select_one("#new-count").text == str(len(expected.gaps_new))
    assert page.select_one("#remaining-count").text == str(len(expected.gaps_remaining))
    assert (
        page.select_one("figure.chart img")["src"]
        == f"/orgs/{org_id}/compare.svg?before={rows[1].id}&after={rows[3].id}"
    )
    assert page.select_one("#trend-table") is None  # two rounds: no trend


def test_rounds_can_be_chosen_either_way_round(client, bank):
    org_id, org, rows = import_rounds(client, bank)
    expected = compare_rounds(bank.questionnaire(QID), org.assessments[3], org.assessments[1])
    page = soup(client.get(f"/orgs/{org_id}/compare?before={rows[3].id}&after={rows[1].id}"))
    assert page.select_one("#score-change").text.strip() == change_text(expected.change)
    assert len(page.select("#gaps-closed tbody tr")) == len(expected.gaps_closed)


def test_three_rounds_show_the_trend_of_every_top_level_clause(client, bank):
    org_id, org, rows = import_rounds(client, bank, rounds=3)
    rounds = [a for a in org.assessments if a.questionnaire == QID]
    trend = clause_trend(bank.questionnaire(QID), rounds)
    page = soup(client.get(f"/orgs/{org_id}/compare"))
    assert page.select_one("#after option[selected]").text.endswith("Third round 2028")
    assert [th.text for th in page.select("#trend-table thead th")][1:] == [a.title for a in rounds]
    cells = [[td.text for td in tr.select("td")[1:]] for tr in page.select("#trend-table tbody tr")]
    assert cells == [[pct(s) for s in t.scores] for t in trend]


@pytest.mark.parametrize(
    "query,message",
    [
        ("before={r1}&after={r0}", "choose two rounds of the same standard"),
        ("before={r1}&after={r1}", "Choose two different rounds"),
        ("before={r1}&after=9999", "Not a valid choice"),
        ("before={r1}", "Not a valid choice"),
        ("before=abc&after={r1}", "Invalid Choice"),
    ],
)
def test_rounds_that_cannot_be_compared_are_refused(client, bank, query, message):
    org_id, _, rows = import_rounds(client, bank)
    query = query.format(r0=rows[0].id, r1=rows[1].id)
    response = client.get(f"/orgs/{org_id}/compare?{query}")
    assert response.status_code == 400
    assert message in soup(response).select_one(".has-error .error").text
    assert client.get(f"/orgs/{org_id}/compare.svg?{query}").status_code == 400


def test_chart_is_the_grouped_chart_of_both_rounds(client, bank):
    org_id, org, rows = import_rounds(client, bank)
    response = client.get(f"/orgs/{org_id}/compare.svg?before={rows[1].id}&after={rows[3].id}")
    assert response.status_code == 200
    assert response.content_type.startswith("image/svg+xml")
    questionnaire = bank.questionnaire(QID)
    expected = rounds_chart(
        questionnaire,
        [
            (a.title, score_assessment(questionnaire, a.values, a.target))
            for a in (org.assessments[1], org.assessments[3])
        ],
    )
    assert response.data == expected


def test_rounds_chart_is_deterministic_and_draws_every_round(bank):
    questionnaire = bank.questionnaire(QID)
    results = [score_assessment(questionnaire, {}), score_assessment(questionnaire, {"10002-4.2-a": 4})]
    one = rounds_chart(questionnaire, [("A", results[0]), ("B", results[1])])
    assert one == rounds_chart(questionnaire, [("A", results[0]), ("B", results[1])])
    three = rounds_chart(questionnaire, [("A", results[0]), ("B", results[1]), ("C", results[1])])
    assert one != three
    assert rounds_chart(questionnaire, [("A", results[0])], fmt="png").startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        rounds_chart(questionnaire, [])
    with pytest.raises(ValueError):
        rounds_chart(questionnaire, [("A", results[0])], fmt="gif")


def test_without_two_rounds_the_page_says_how_to_get_them(client, bank, site):
    org_id = site.org()
    site.assessment(org_id)
    response = client.get(f"/orgs/{org_id}/compare")
    assert response.status_code == 200
    assert "follow-up round" in soup(response).select_one("#no-rounds").text
    assert client.get(f"/orgs/{org_id}/compare.svg").status_code == 400
    assert soup(client.get(f"/orgs/{org_id}")).select_one("#compare-link") is None


def test_overview_and_results_link_to_the_comparison(client, bank):
    org_id, _, rows = import_rounds(client, bank)
    assert soup(client.get(f"/orgs/{org_id}")).select_one("#compare-link")["href"] == f"/orgs/{org_id}/compare"
    first = soup(client.get(f"/orgs/{org_id}/assessments/{rows[1].id}/results")).select_one("#compare-link")
    latest = soup(client.get(f"/orgs/{org_id}/assessments/{rows[3].id}/results")).select_one("#compare-link")
    pair = f"/orgs/{org_id}/compare?before={rows[1].id}&after={rows[3].id}"
    assert first["href"] == latest["href"] == pair
    assert soup(client.get(f"/orgs/{org_id}/assessments/{rows[0].id}/results")).select_one("#compare-link") is None
