"""A practice asked in two banks (same_as) is answered once and counts in both."""

from assess.core.answers import Answer, Assessment, Organization
from assess.core.shared import shared_answers, twins, with_shared_answers
from assess.services.results import answer_values
from assess.store import answers as answer_store
from assess.web.database import get_db
from assess.web.navigation import page_of
from tests.conftest import soup

HUB, LINKED = "10002-7.9-b", "10003-7.2-a"


def test_twins_go_both_ways_across_banks(bank):
    linked = twins(bank)
    assert {t.question for t in linked[HUB]} >= {LINKED, "10001-5.3-b"}
    assert HUB in {t.question for t in linked[LINKED]}


def test_an_unanswered_twin_takes_the_answer_and_its_own_answer_wins(bank):
    ours = Assessment("iso10003-2018", "EDR 2026", 3, {})
    complaints = Assessment("iso10002-2018", "Baseline", 3, {HUB: Answer(3, note="letters v2")})
    taken = shared_answers(bank, ours, {"iso10002-2018": complaints})
    assert (taken[LINKED].answer.value, taken[LINKED].question, taken[LINKED].assessment) == (3, HUB, "Baseline")
    own = Assessment("iso10003-2018", "EDR 2026", 3, {LINKED: Answer(1)})
    assert LINKED not in shared_answers(bank, own, {"iso10002-2018": complaints})


def test_only_the_latest_round_takes_shared_answers(bank):
    old = Assessment("iso10003-2018", "EDR 2025", 3, {})
    new = Assessment("iso10003-2018", "EDR 2026", 3, {})
    complaints = Assessment("iso10002-2018", "Baseline", 3, {HUB: Answer(4)})
    filled = with_shared_answers(bank, Organization("A", assessments=(old, new, complaints)))
    assert LINKED not in filled.assessments[0].answers
    assert filled.assessments[1].answers[LINKED].value == 4


def test_the_answering_page_and_the_score_count_the_shared_answer(client, site, app, bank):
    org_id = site.org()
    complaints = site.assessment(org_id, "iso10002-2018")
    edr = site.assessment(org_id, "iso10003-2018")
    client.post(f"/orgs/{org_id}/assessments/{complaints}/answers/{HUB}", data={f"value:{HUB}": "3"})
    with app.app_context():
        row = answer_store.get_assessment(get_db(), org_id, edr)
        assert answer_values(get_db(), bank, row)[LINKED] == 3
        assert LINKED not in answer_store.get_answers(get_db(), edr)  # stored once, in ISO 10002 only
    page = page_of(bank.questionnaire("iso10003-2018"), LINKED)
    html = soup(client.get(f"/orgs/{org_id}/assessments/{edr}/pages/{page.key}"))
    note = html.find(id=f"q-{LINKED}").select_one("p.shared")
    assert "Answered in ISO 10002:2018" in note.text and "3 Largely in place" in note.text
