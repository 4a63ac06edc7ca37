"""Saving against a base revision: what is written, what is a conflict, and that nothing acknowledged is lost."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core.answers import Answer
from assess.core.revisions import EMPTY, keep_both, merge
from assess.store import answers as answer_store
from assess.store import connection, migrations
from assess.store import organizations as org_store
from assess.store.answers import Edit

Q = "10002-4.2-a"


def test_a_part_only_i_changed_is_written_and_theirs_kept():
    base = Answer(2, note="base")
    current = Answer(2, note="base", evidence="their evidence")
    merged = merge(base, current, Answer(3, note="base"))
    assert merged.answer == Answer(3, note="base", evidence="their evidence")


def test_the_same_part_changed_by_both_is_a_conflict_and_nothing_is_written():
    merged = merge(Answer(2), Answer(1), Answer(3))
    assert merged.answer is None and merged.conflicts == {"value"}


def test_both_changing_a_part_to_the_same_text_is_no_conflict():
    merged = merge(Answer(2), Answer(3, note="x"), Answer(3))
    assert not merged.conflicted and merged.answer is None  # what is stored already says it


def test_a_merge_never_leaves_not_applicable_without_a_reason():
    # I cleared the reason of a not-applicable answer: refused as a conflict on the reason, never written
    base = Answer("na", reason="no shops")
    merged = merge(base, Answer("na", reason="no shops", note="theirs"), Answer("na", reason=""))
    assert merged.answer is None and merged.conflicts == {"reason"}


def test_an_input_sent_unchanged_is_not_a_change():
    merged = merge(Answer(2, note="n"), Answer(4, note="n"), Answer(2, note="n"), touched={"value", "note"})
    assert not merged.conflicted and merged.answer is None


def test_keep_both_puts_their_text_first_and_never_repeats():
    assert keep_both("mine", "theirs") == "theirs\n\nmine"
    assert keep_both("same", "same") == "same"
    assert keep_both("", "theirs") == "theirs"
    assert keep_both("theirs and more", "theirs") == "theirs and more"


@pytest.fixture
def database(tmp_path):
    db = connection.connect(tmp_path / "r.sqlite3")
    migrations.migrate(db)
    org = org_store.create_organization(db, "Acme")
    aid = answer_store.create_assessment(db, org, "iso10002-2018", "Baseline", 3)
    yield db, aid
    db.close()


def test_every_save_makes_a_revision_and_the_history_keeps_each(database):
    db, aid = database
    first = answer_store.save_answers(db, aid, {Q: Edit(Answer(1, note="a"), base=0)}, author="ann")
    second = answer_store.save_answers(db, aid, {Q: Edit(Answer(2, note="a"), base=1)}, author="bob")
    assert (first.revisions[Q], second.revisions[Q]) == (1, 2)
    history = answer_store.answer_history(db, aid, Q)
    assert [(h.revision, h.value, h.changed_by) for h in history] == [(1, 1, "ann"), (2, 2, "bob")]


def test_a_stale_save_of_the_same_part_is_refused_with_their_version(database):
    db, aid = database
    answer_store.save_answers(db, aid, {Q: Edit(Answer(1), base=0)}, author="ann")
    answer_store.save_answers(db, aid, {Q: Edit(Answer(3, note="bob's"), base=1)}, author="bob")
    stale = answer_store.save_answers(db, aid, {Q: Edit(Answer(0, note="ann's"), base=1)}, author="ann")
    (conflict,) = stale.conflicts
    assert conflict.parts == {"value", "note"}
    assert (conflict.theirs.value, conflict.theirs.note, conflict.theirs.updated_by) == (3, "bob's", "bob")
    assert answer_store.get_answers(db, aid)[Q].value == 3  # nothing of ann's stale save was written


def test_a_stale_save_of_another_part_merges(database):
    db, aid = database
    answer_store.save_answers(db, aid, {Q: Edit(Answer(1), base=0)}, author="ann")
    answer_store.save_answers(db, aid, {Q: Edit(Answer(1, evidence="policy v2"), base=1)}, author="bob")
    saved = answer_store.save_answers(db, aid, {Q: Edit(Answer(3), base=1)}, author="ann")
    assert not saved.conflicts
    stored = answer_store.get_answers(db, aid)[Q]
    assert (stored.value, stored.evidence, stored.revision) == (3, "policy v2", 3)


def test_a_base_that_never_existed_is_a_conflict_not_a_silent_overwrite(database):
    db, aid = database
    answer_store.save_answers(db, aid, {Q: Edit(Answer(1), base=0)})
    assert answer_store.save_answers(db, aid, {Q: Edit(Answer(2), base=7)}).conflicts


# --- for any interleaving of two clients' saves, nothing acknowledged is lost ---------------------

PART_VALUES = {
    "value": st.sampled_from([0, 1, 2, 3, 4, "unknown"]),
    "note": st.sampled_from(["", "a", "b", "c"]),
    "evidence": st.sampled_from(["", "x", "y"]),
}
STEP = st.tuples(
    st.integers(0, 1),  # which client
    st.sampled_from(["edit", "refresh"]),
    st.sampled_from(sorted(PART_VALUES)),
    st.data(),
)


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(STEP, min_size=1, max_size=25))
def test_no_acknowledged_change_is_ever_lost(tmp_path_factory, steps):
    db = connection.connect(tmp_path_factory.mktemp("p") / "p.sqlite3")
    migrations.migrate(db)
    aid = answer_store.create_assessment(db, org_store.create_organization(db, "A"), "iso10002-2018", "B", 3)
    views = [(0, EMPTY), (0, EMPTY)]  # each client's base revision and the answer it shows
    set_at: dict[str, int] = {}  # part -> revision that last set it through an acknowledged save
    for who, kind, part, data in steps:
        base, shown = views[who]
        if kind == "refresh":
            stored = answer_store.get_answer(db, aid, Q)
            views[who] = (0, EMPTY) if stored is None else (stored.revision, stored.plain())
            continue
        value = data.draw(PART_VALUES[part])
        mine = Answer(**{**{p: getattr(shown, p) for p in ("value", "note", "evidence", "reason")}, part: value})
        saved = answer_store.save_answers(db, aid, {Q: Edit(mine, base=base)}, author=f"c{who}")
        if saved.conflicts:
            continue
        revision = saved.revisions[Q]
        if Q in saved.changed:
            for p in ("value", "note", "evidence"):
                # a part that this save changed could only be replaced by someone who had seen its last value
                if getattr(mine, p) != getattr(shown, p):
                    assert base >= set_at.get(p, 0), f"{p} set at revision {set_at.get(p)} lost by a save from {base}"
                    set_at[p] = revision
        stored = answer_store.get_answer(db, aid, Q)
        now_shown = EMPTY if stored is None else stored.plain()
        views[who] = (revision, now_shown)
        if value != getattr(shown, part):  # what this client changed and saved is what is stored now
            assert getattr(now_shown, part) == value
    db.close()
