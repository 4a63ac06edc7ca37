"""Bad days: a read-only folder, an unreadable key, an empty or damaged database, a full disk, missing
questionnaires. At start: one clear sentence and a non-zero exit. At run time: a clear answer (JSON
for autosave) and nothing half-written. Stored values the documents cannot use are readiness problems."""

import contextlib
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from assess.cli import main
from assess.core.questionnaire import QuestionnaireError
from assess.core.settings import SHIPPED_QUESTIONNAIRES, ConfigurationError, key_entropy_bits
from assess.store import answers as answer_store
from assess.store import connection, migrations
from assess.store import organizations as org_store
from assess.web import database as web_database
from assess.web.database import get_db
from tests.conftest import Site, add_user, log_in, make_app, soup


@contextlib.contextmanager
def read_only(folder: Path):
    """Make a folder read-only for real: chmod for a normal user, the immutable flag for root (whom
    file modes do not stop)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def refusal(tmp_path, monkeypatch, *args, **env):
    """Run `assess serve` on the instance and return its exit code and what it printed."""
    monkeypatch.setenv("ASSESS_INSTANCE", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["serve", *args])
    return result.exit_code, result.output


def one_sentence(output: str) -> str:
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip() and "No administrator yet" not in line]
    assert len(lines) == 1, output
    return lines[0]


# --- at start ----------------------------------------------------------------------------------


def test_a_read_only_data_folder_is_one_sentence_and_exit_1(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    with read_only(instance):
        code, output = refusal(instance, monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"The data folder {instance} cannot be written by this user")


def test_a_data_folder_that_cannot_be_made_is_one_sentence(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, output = refusal(blocker / "instance", monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"Cannot create the data folder {blocker / 'instance'}")


# (root reads any file whatever its mode, so "no permission" is only tried as a normal user)
@pytest.mark.parametrize("kind", ["folder", "not text"] + (["no permission"] if os.geteuid() != 0 else []))
def test_an_unreadable_secret_key_is_one_sentence(tmp_path, monkeypatch, kind):
    key = tmp_path / "secret_key"
    if kind == "folder":
        key.mkdir()
    elif kind == "not text":
        key.write_bytes(b"\xff\xfe\x00 not utf-8 \x80")
    else:
        key.write_text("x" * 64)
        key.chmod(0)
    code, output = refusal(tmp_path, monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"Cannot read the secret key file {key} (")


def test_a_zero_length_database_is_not_taken_for_a_fresh_install(tmp_path, monkeypatch):
    (tmp_path / "assess.sqlite3").write_bytes(b"")
    code, output = refusal(tmp_path, monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"{tmp_path / 'assess.sqlite3'} is empty (0 bytes)")
    assert (tmp_path / "assess.sqlite3").stat().st_size == 0  # left as it was


def test_a_damaged_database_is_one_sentence(tmp_path, monkeypatch):
    (tmp_path / "assess.sqlite3").write_bytes(b"this is not SQLite " * 500)
    code, output = refusal(tmp_path, monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"{tmp_path / 'assess.sqlite3'} is not a readable assess database")


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    db = connection.connect(tmp_path / "assess.sqlite3")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(ConfigurationError, match="was written by a newer version of assess"):
        make_app(tmp_path)


def test_a_full_disk_at_start_is_one_sentence(tmp_path, monkeypatch):
    real = migrations.connect

    def full(path):
        db = real(path)
        db.execute("PRAGMA max_page_count = 2")  # SQLite's own "database or disk is full"
        return db

    monkeypatch.setattr(migrations, "connect", full)
    code, output = refusal(tmp_path, monkeypatch)
    assert code == 1
    assert one_sentence(output).startswith(f"The disk that holds {tmp_path / 'assess.sqlite3'} is full")


def test_a_missing_questionnaire_folder_is_one_sentence(tmp_path, monkeypatch):
    code, output = refusal(tmp_path, monkeypatch, ASSESS_QUESTIONNAIRES=str(tmp_path / "nowhere"))
    assert code == 1
    assert output.splitlines()[-1] == f"{tmp_path / 'nowhere'}: the questionnaire folder does not exist"


def test_a_missing_profile_is_named(tmp_path):
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(SHIPPED_QUESTIONNAIRES / "iso10002-2018.yaml", folder)
    with pytest.raises(QuestionnaireError) as info:
        make_app(tmp_path / "instance", QUESTIONNAIRE_DIRS=[folder])
    assert info.value.problems == [f"profile.yaml: not found in {folder}"]


def test_stored_assessments_of_a_questionnaire_not_installed_stop_the_start(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        org = org_store.create_organization(get_db(), "Acme")
        answer_store.create_assessment(get_db(), org, "iso99999-2030", "Gone", 3)
    with pytest.raises(ConfigurationError) as info:
        make_app(tmp_path)
    assert str(info.value).startswith("The database has assessments of iso99999-2030, which no questionnaire folder")


def test_a_questionnaire_id_in_two_folders_names_both_files(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(SHIPPED_QUESTIONNAIRES / "iso10002-2018.yaml", extra)
    with pytest.raises(QuestionnaireError) as info:
        make_app(tmp_path / "instance", QUESTIONNAIRE_DIRS=[SHIPPED_QUESTIONNAIRES, extra])
    assert (
        f"{extra / 'iso10002-2018.yaml'}: id 'iso10002-2018' is already used by "
        f"{SHIPPED_QUESTIONNAIRES / 'iso10002-2018.yaml'}"
    ) in info.value.problems


@pytest.mark.parametrize(
    "key",
    ["a" * 64, "abcd" * 16, "0123456789abcdef" * 4, "changeme" * 8, "ThisIsMyVerySecretProductionKey2026!"],
)
def test_a_long_but_guessable_production_key_is_refused(tmp_path, monkeypatch, key):
    monkeypatch.setenv("ASSESS_PRODUCTION", "1")
    monkeypatch.setenv("ASSESS_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="too weak for production: it holds about"):
        make_app(tmp_path, SECRET_KEY=key)


def test_random_production_keys_are_accepted(tmp_path, monkeypatch):
    import secrets

    assert min(key_entropy_bits(secrets.token_hex(16)) for _ in range(200)) >= 80
    monkeypatch.setenv("ASSESS_PRODUCTION", "1")
    monkeypatch.setenv("ASSESS_PUBLIC_URL", "https://assess.example.org/")
    key = secrets.token_urlsafe(32)
    assert make_app(tmp_path, SECRET_KEY=key).config["SECRET_KEY"] == key


# --- at run time -------------------------------------------------------------------------------


@contextlib.contextmanager
def database(app, pragma: str):
    """Make every new connection of the app obey a pragma (max_page_count: a full disk; query_only: a
    read-only database), as SQLite itself reports those days."""
    real = web_database.connect

    def limited(path):
        db = real(path)
        value = db.execute("PRAGMA page_count").fetchone()[0] if pragma == "max_page_count" else 1
        db.execute(f"PRAGMA {pragma} = {value}")
        return db

    web_database.connect = limited
    app.extensions["assess.connections"] = threading.local()  # drop the open ones
    try:
        yield
    finally:
        web_database.connect = real
        app.extensions["assess.connections"] = threading.local()


@pytest.mark.parametrize(
    "pragma,expected",
    [
        ("max_page_count", "The server's disk is full, so this was not saved."),
        ("query_only", "The server cannot write its database just now, so this was not saved."),
    ],
)
def test_autosave_on_a_bad_day_gets_a_clear_json_error_and_nothing_is_half_written(app, client, pragma, expected):
    site = Site(client)
    org = site.org()
    assessment = site.assessment(org)
    qid = "10002-4.2-a"
    url = f"/orgs/{org}/assessments/{assessment}/answers/{qid}"
    big = "x" * 4000  # more than the one free page
    with database(app, pragma):
        saved = client.post(url, data={f"value:{qid}": "3", f"note:{qid}": big}, headers={"Accept": "application/json"})
        page = client.post(url, data={f"value:{qid}": "3", f"note:{qid}": big})
    assert saved.status_code == 503
    assert saved.is_json and saved.get_json()["error"].startswith(expected)
    assert "what you typed is still on the page" in saved.get_json()["error"]
    assert page.status_code == 503 and expected in soup(page).text
    with app.app_context():
        assert answer_store.get_answers(get_db(), assessment) == {}


def test_an_unexpected_error_on_a_json_request_is_json(tmp_path):
    app = make_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom.json")
    def boom():
        raise RuntimeError("secret-marker")

    boom.access = "public"
    response = app.test_client().get("/boom.json", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response.is_json and "reference" in response.get_json()["error"]
    assert "secret-marker" not in response.get_data(as_text=True)


# --- stored values the documents cannot use ---------------------------------------------------


def test_out_of_range_or_broken_stored_facts_are_readiness_problems_not_500(app, client):
    """The issue's case: a review cycle of 200000, 1e6 or inf months made every document page, .docx and
    zip of the organization answer 500. profile.yaml bounds the cycle (issue 15) and the stored values
    predate the bound, or were never valid."""
    assert app.extensions["assess.bank"].profile.fact("review.cycle_months").bounds == (1, 120)
    org = Site(client).org()
    for stored in (200000, 1e6, float("inf"), -5, "twelve", [12]):
        with app.app_context():
            get_db().execute(
                "INSERT INTO profile_values (org_id, fact_id, value_json, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (org_id, fact_id) DO UPDATE SET value_json = excluded.value_json",
                [org, "review.cycle_months", json.dumps(stored), "2026-01-01T00:00:00+00:00"],
            )
        listing = client.get(f"/orgs/{org}/documents")
        assert listing.status_code == 200, stored
        assert "months between reviews" in listing.get_data(as_text=True).lower()  # listed as missing
        for path in ("complaints-procedure", "complaints-procedure.docx", "all.zip"):
            assert client.get(f"/orgs/{org}/documents/{path}").status_code == 200, (stored, path)


def test_stored_control_characters_do_not_break_any_download(app, client):
    """Text stored before the check existed: every output path still answers (what XML cannot hold is dropped)."""
    site = Site(client)
    org = site.org()
    assessment = site.assessment(org)
    client.post(f"/orgs/{org}/assessments/{assessment}/answers/10002-4.2-a", data={"value:10002-4.2-a": "3"})
    with app.app_context():
        db = get_db()
        db.execute("UPDATE organizations SET name = ?", ["Acme\x07\x0b \u202eevil\ufffe"])
        db.execute("UPDATE assessments SET title = ?", ["Base\x01line\x0b"])
        db.execute("UPDATE answers SET note = ?", ["n\x01o\x0bte\ufffe"])
    for path in (
        f"/orgs/{org}/assessments/{assessment}/workbook.xlsx",
        f"/orgs/{org}/export.json",
        f"/orgs/{org}/documents/complaints-procedure.docx",
        f"/orgs/{org}/documents/all.zip",
        f"/orgs/{org}/assessments/{assessment}",
    ):
        assert client.get(path).status_code == 200, path


def test_urls_with_ids_beyond_sqlite_are_404_for_every_role(app, client):
    add_user(app, "member@example.com")
    member = log_in(app.test_client(), "member@example.com")
    for browser in (client, member, app.test_client()):
        for path in (f"/orgs/{2**63}", f"/orgs/1/assessments/{2**64}", "/orgs/" + "9" * 5000, "/orgs/-1"):
            assert browser.get(path).status_code == 404, path
        assert browser.post(f"/orgs/1/people/{2**63}/remove").status_code == 404
    assert client.get(f"/orgs/{2**63 - 1}").status_code == 404  # the largest id is an id: of nothing here
