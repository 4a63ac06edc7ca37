"""The SQLite file: migrations, pragmas, transactions and the named queries."""

import pytest

from assess.core.answers import Answer, Assessment, Organization
from assess.services import organizations as org_service
from assess.store import answers as answer_store
from assess.store import connection, migrations
from assess.store import organizations as org_store


@pytest.fixture
def database(tmp_path):
    conn = connection.connect(tmp_path / "t.sqlite3")
    migrations.migrate(conn)
    yield conn
    conn.close()


def test_migration_from_an_empty_file_creates_every_table(tmp_path):
    conn = connection.connect(tmp_path / "new.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert migrations.migrate(conn) == len(migrations.MIGRATIONS)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    assert {"organizations", "profile_values", "assessments", "answers", "answer_history"} <= set(conn.table_names())


def test_migrating_twice_changes_nothing(database):
    before = database.execute("select sql from sqlite_master order by name").fetchall()
    migrations.migrate(database)
    assert database.execute("select sql from sqlite_master order by name").fetchall() == before


def test_connection_pragmas(database):
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS


def test_runtime_sqlite_is_free_of_the_wal_reset_bug(database):
    version = connection.sqlite_version(database)
    assert connection.sqlite_is_safe(version), f"SQLite {version} has the WAL-reset bug; pysqlite3 must be installed"


@pytest.mark.parametrize(
    "version,safe",
    [
        ("3.53.4", True),
        ("3.51.3", True),
        ("3.51.2", False),
        ("3.50.7", True),
        ("3.50.6", False),
        ("3.44.6", True),
        ("3.44.5", False),
        ("3.40.1", False),
        ("3.45.0", False),
    ],
)
def test_sqlite_version_guard(version, safe):
    assert connection.sqlite_is_safe(version) is safe


def test_failed_write_rolls_back_everything(database):
    org_id = org_store.create_organization(database, "Acme")
    with pytest.raises(RuntimeError):
        with connection.transaction(database):
            database.execute("UPDATE organizations SET name = 'Changed' WHERE id = ?", [org_id])
            raise RuntimeError("boom")
    assert org_store.get_organization(database, org_id).name == "Acme"
    assert not database.conn.in_transaction


def test_deleting_an_organization_cascades(database):
    org_id = org_store.create_organization(database, "Acme")
    aid = answer_store.create_assessment(database, org_id, "iso10002-2018", "Baseline", 3)
    answer_store.save_answers(database, aid, {"10002-4.2-a": Answer(3)})
    org_store.set_profile(database, org_id, {"org.legal_name": "Acme Ltd"})
    org_store.delete_organization(database, org_id)
    for table in ("assessments", "answers", "answer_history", "profile_values"):
        assert database.execute(f"select count(*) from {table}").fetchone()[0] == 0


def test_saving_the_same_answer_twice_records_one_history_row(database):
    org_id = org_store.create_organization(database, "Acme")
    aid = answer_store.create_assessment(database, org_id, "iso10002-2018", "Baseline", 3)
    answer_store.save_answers(database, aid, {"10002-4.2-a": Answer(3, note="n")}, author="ann")
    answer_store.save_answers(database, aid, {"10002-4.2-a": Answer(3, note="n")}, author="bob")
    answer_store.save_answers(database, aid, {"10002-4.2-a": Answer("na", reason="r")}, author="bob")
    history = answer_store.answer_history(database, aid, "10002-4.2-a")
    assert [(h.value, h.changed_by) for h in history] == [(3, "ann"), ("na", "bob")]
    stored = answer_store.get_answers(database, aid)["10002-4.2-a"]
    assert (stored.value, stored.reason, stored.updated_by) == ("na", "r", "bob")


def test_import_then_load_gives_the_same_organization(database):
    org = Organization(
        name="Acme",
        profile={"org.legal_name": "Acme Ltd", "complaints.channels": ["Phone"]},
        assessments=(
            Assessment(
                "iso10002-2018",
                "Baseline",
                3,
                {"10002-4.2-a": Answer(2, note="x"), "10002-4.3-a": Answer("unknown")},
            ),
            Assessment("iso10001-2018", "Baseline", 4, {"10001-4.2-a": Answer("na", reason="no code yet")}),
        ),
    )
    org_id = org_service.import_organization(database, org)
    assert org_service.load_organization(database, org_id) == org


def test_note_only_answers_are_stored_but_not_exported(database):
    org_id = org_store.create_organization(database, "Acme")
    aid = answer_store.create_assessment(database, org_id, "iso10002-2018", "Baseline", 3)
    answer_store.save_answers(database, aid, {"10002-4.2-a": Answer(None, note="thinking")})
    assert answer_store.get_answers(database, aid)["10002-4.2-a"].note == "thinking"
    assert org_service.load_organization(database, org_id).assessments[0].answers == {}
