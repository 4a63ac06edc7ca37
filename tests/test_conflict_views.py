"""Two people on one assessment: every path that can change an answer carries its revision, and a
change made since is either merged or shown as a conflict to settle; nothing typed is lost."""

import pytest

from assess.store import answers as answer_store
from assess.web.database import get_db
from tests.conftest import add_user, log_in, soup

Q = "10002-4.2-a"
OTHER = "10002-4.2-b"
PAGE = "4.2"


@pytest.fixture
def room(app, client, site):
    """An assessment, and a second person (bob) in the same organization."""
    org_id = site.org()
    aid = site.assessment(org_id)
    user_id = add_user(app, "bob@example.com")
    with app.app_context():
        from assess.store import people

        people.set_membership(get_db(), user_id, org_id, "member")
    bob = log_in(app.test_client(), "bob@example.com")
    return {"org": org_id, "aid": aid, "ann": client, "bob": bob, "app": app}


def autosave(browser, room, question, rev, **parts):
    data = {f"{k}:{question}": v for k, v in parts.items()} | {f"rev:{question}": str(rev)}
    return browser.post(f"/orgs/{room['org']}/assessments/{room['aid']}/answers/{question}", data=data)


def page_post(browser, room, fields, go="hub"):
    return browser.post(f"/orgs/{room['org']}/assessments/{room['aid']}/pages/{PAGE}", data={**fields, "go": go})


def stored(room, question=Q):
    with room["app"].app_context():
        return answer_store.get_answers(get_db(), room["aid"]).get(question)


def test_autosave_returns_the_revision_and_a_stale_autosave_gets_409_with_theirs(room):
    first = autosave(room["ann"], room, Q, 0, value="1", note="ann's note")
    assert first.status_code == 200 and first.get_json()["revision"] == 1
    assert autosave(room["bob"], room, Q, 1, value="3").get_json()["revision"] == 2
    stale = autosave(room["ann"], room, Q, 1, value="0")
    assert stale.status_code == 409
    conflict = stale.get_json()["conflict"]
    assert conflict["parts"] == ["value"]
    assert (conflict["theirs"]["value"], conflict["theirs"]["by"], conflict["theirs"]["revision"]) == (
        "3",
        "bob@example.com",
        2,
    )
    assert conflict["mine"]["label"] == "0 Not in place"
    assert stored(room).value == 3  # nothing of the stale save was written


def test_two_autosaves_of_different_parts_both_stay(room):
    autosave(room["ann"], room, Q, 0, value="2")
    autosave(room["bob"], room, Q, 1, value="2", evidence="Policy v3")
    assert autosave(room["ann"], room, Q, 1, value="2", note="discussed in March").status_code == 200
    answer = stored(room)
    assert (answer.value, answer.note, answer.evidence, answer.revision) == (2, "discussed in March", "Policy v3", 3)


def test_use_mine_after_a_conflict_writes_over_the_version_seen(room):
    autosave(room["ann"], room, Q, 0, value="1")
    autosave(room["bob"], room, Q, 1, value="3")
    theirs = autosave(room["ann"], room, Q, 1, value="4").get_json()["conflict"]["theirs"]["revision"]
    assert autosave(room["ann"], room, Q, theirs, value="4").status_code == 200
    assert stored(room).value == 4


def test_a_stale_page_submit_saves_the_rest_and_shows_the_conflict_with_both_versions(room):
    shown = soup(room["ann"].get(f"/orgs/{room['org']}/assessments/{room['aid']}/pages/{PAGE}"))
    assert shown.find("input", attrs={"name": f"rev:{Q}"})["value"] == "0"
    autosave(room["bob"], room, Q, 0, value="3", note="bob's note")
    response = page_post(
        room["ann"],
        room,
        {f"value:{Q}": "1", f"note:{Q}": "ann's note", f"rev:{Q}": "0", f"value:{OTHER}": "2", f"rev:{OTHER}": "0"},
    )
    assert response.status_code == 409
    page = soup(response)
    box = page.find(id=f"conflict-{Q}")
    assert "bob@example.com changed this answer" in box.text
    assert "bob's note" in box.text and "ann's note" in box.text
    assert page.find("textarea", attrs={"name": f"note:{Q}"}).text == "ann's note"  # what ann typed is still there
    assert (stored(room).value, stored(room).note) == (3, "bob's note")
    assert stored(room, OTHER).value == 2  # the question without a conflict was saved


@pytest.mark.parametrize(
    "choice,expected",
    [("theirs", (3, "bob's note")), ("mine", (1, "ann's note")), ("both", (1, "bob's note\n\nann's note"))],
)
def test_a_page_conflict_is_settled_by_the_choice_made(room, choice, expected):
    autosave(room["bob"], room, Q, 0, value="3", note="bob's note")
    fields = {f"value:{Q}": "1", f"note:{Q}": "ann's note", f"rev:{Q}": "0"}
    shown = page_post(room["ann"], room, fields)
    assert shown.status_code == 409
    # the re-shown page carries the revision of the version its conflict box showed
    seen = soup(shown).find("input", attrs={"name": f"rev:{Q}"})["value"]
    assert seen == "1"
    settled = page_post(room["ann"], room, {**fields, f"rev:{Q}": seen, f"resolve:{Q}": choice})
    assert settled.status_code == 302
    assert (stored(room).value, stored(room).note) == expected


def test_an_unchanged_stale_page_never_reverts_a_newer_answer(room):
    autosave(room["ann"], room, Q, 0, value="1", note="first")
    autosave(room["bob"], room, Q, 1, value="4", note="improved")
    # ann's page was loaded at revision 1 and she changed nothing on it
    response = page_post(room["ann"], room, {f"value:{Q}": "1", f"note:{Q}": "first", f"rev:{Q}": "1"})
    assert response.status_code == 302  # nothing changed on ann's side: no conflict to settle, nothing written
    assert (stored(room).value, stored(room).note) == (4, "improved")


def test_history_lists_every_version_and_restore_is_a_new_change(room):
    autosave(room["ann"], room, Q, 0, value="1", note="first")
    autosave(room["bob"], room, Q, 1, value="3", note="second")
    url = f"/orgs/{room['org']}/assessments/{room['aid']}/questions/{Q}/history"
    page = soup(room["ann"].get(url))
    versions = [li.h2.text.split()[1] for li in page.select("li.history-version")]
    assert versions == ["2", "1"]
    assert "bob@example.com" in page.select("li.history-version")[0].text
    assert room["ann"].post(url, data={"revision": "1", "shown": "2"}).status_code == 302
    answer = stored(room)
    assert (answer.value, answer.note, answer.revision) == (1, "first", 3)
    with room["app"].app_context():
        history = answer_store.answer_history(get_db(), room["aid"], Q)
    assert [(h.revision, h.how) for h in history][-1] == (3, "restored revision 1")


def test_a_restore_from_a_stale_history_page_restores_nothing(room):
    autosave(room["ann"], room, Q, 0, value="1")
    autosave(room["bob"], room, Q, 1, value="3")
    url = f"/orgs/{room['org']}/assessments/{room['aid']}/questions/{Q}/history"
    autosave(room["bob"], room, Q, 2, value="4")  # after ann opened the history at revision 2
    response = room["ann"].post(url, data={"revision": "1", "shown": "2"}, follow_redirects=True)
    assert "nothing was restored" in response.get_data(as_text=True)
    assert stored(room).value == 4


def test_the_answering_page_links_each_answered_question_to_its_history(room):
    autosave(room["ann"], room, Q, 0, value="1")
    page = soup(room["ann"].get(f"/orgs/{room['org']}/assessments/{room['aid']}/pages/{PAGE}"))
    link = page.find(id=f"q-{Q}").select_one(".history-link a")
    assert link["href"].endswith(f"/questions/{Q}/history")
    assert page.find(id=f"q-{OTHER}").select_one(".history-link") is None


def test_settling_a_conflict_over_a_version_changed_again_is_a_new_conflict(room):
    autosave(room["bob"], room, Q, 0, value="3")
    fields = {f"value:{Q}": "1", f"rev:{Q}": "0"}
    assert page_post(room["ann"], room, fields).status_code == 409  # ann sees bob's revision 1
    autosave(room["bob"], room, Q, 1, value="4")  # and bob changes it again
    again = page_post(room["ann"], room, {**fields, f"rev:{Q}": "1", f"resolve:{Q}": "mine"})
    assert again.status_code == 409
    assert "4 Fully in place and reviewed" in soup(again).find(id=f"conflict-{Q}").text
    assert stored(room).value == 4
