"""Nothing acknowledged is ever lost: kill -9 of every server process, 50 writers at once, backups.

Each test runs the real production server (`assess serve --production`: gunicorn, several
workers, SQLite in WAL mode) on a loopback port against a temporary instance, drives it over HTTP
with the benchmark's client (bench/workshop.py) and then reads the SQLite file itself.
"""

from __future__ import annotations

import hashlib
import http.client
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assess.store import answers as answer_store
from assess.store import connection
from bench.workshop import (
    PASSWORD,
    PROJECT_ROOT,
    Browser,
    Reply,
    Server,
    Workshop,
    free_port,
    make_workshop,
    process_state,
    saved,
    server_env,
    start_assess,
)
from tests.conftest import make_app, soup

WORKERS = 3


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def secret_key() -> str:
    return secrets.token_hex(32)


@pytest.fixture
def servers():
    """Start servers through `start(...)`; every one is stopped at the end, whatever happened."""
    started: list[Server] = []

    def start(instance: Path, secret_key: str) -> Server:
        server = start_assess(instance, secret_key, free_port(), workers=WORKERS)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def browsers():
    """Make logged-in browsers through `open_as(...)`; all are closed at the end."""
    opened: list[Browser] = []

    def open_as(server: Server, workshop: Workshop, email: str) -> Browser:
        browser = Browser(server.port)
        opened.append(browser)
        assert browser.log_in(email, PASSWORD).status == 302
        key = workshop.pages[0][0]
        assert browser.get(workshop.page_path(key)).status == 200
        assert browser.csrf_token
        return browser

    yield open_as
    for browser in opened:
        browser.close()


@dataclass
class Stream:
    """One writer's saves in the order sent: (question id, value, note), and which were acknowledged."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def stream_saves(
    browser: Browser, workshop: Workshop, questions: tuple[str, ...], name: str, stream: Stream, stop: threading.Event
) -> None:
    """Save answers to `questions` in turn, each with a new note, until `stop` or the server is gone."""
    for number in range(1, 20_000):
        if stop.is_set():
            return
        question = questions[number % len(questions)]
        save = (question, str(number % 5), f"{name}-{number:05d}")
        stream.sent.append(save)
        try:
            reply = browser.save_answer(workshop, *save)
        except (OSError, http.client.HTTPException):
            return  # the server was killed
        if saved(reply):
            stream.acknowledged.append(save)
        else:
            stream.failures.append(f"{reply.status} {reply.text[:200]}")


def wait_until(condition, timeout: float = 30) -> None:
    """Return when `condition()` holds, or after `timeout` seconds (the assertions that follow then fail)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def run_streams(count: int, target, until) -> list[threading.Thread]:
    """Start `target(n)` in `count` threads; return them once `until()` holds."""
    threads = [threading.Thread(target=target, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    wait_until(until)
    return threads


def integrity(path: Path) -> str:
    database = connection.connect(path)
    try:
        return str(database.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        database.close()


def history_of(path: Path, assessment_id: int) -> list[dict]:
    database = connection.connect(path)
    try:
        return list(
            database.query(
                "SELECT question_id, value, note, changed_by FROM answer_history WHERE assessment_id = ? ORDER BY id",
                [assessment_id],
            )
        )
    finally:
        database.close()


def answers_of(path: Path, assessment_id: int) -> dict[str, answer_store.StoredAnswer]:
    database = connection.connect(path)
    try:
        return answer_store.get_answers(database, assessment_id)
    finally:
        database.close()


def gone(pid: int) -> bool:
    return process_state(pid) in (None, "Z", "X")


def test_every_acknowledged_save_survives_sigkill_of_every_server_process(instance, secret_key, servers, browsers):
    database = instance / "assess.sqlite3"
    workshop = make_workshop(database, participants=6)
    server = servers(instance, secret_key)
    people = [browsers(server, workshop, email) for email in workshop.emails]
    streams = [Stream() for _ in people]
    stop = threading.Event()

    def writer(n: int) -> None:
        own_questions = workshop.question_ids[n :: len(people)]  # nobody else writes these
        stream_saves(people[n], workshop, own_questions, f"w{n}", streams[n], stop)

    threads = run_streams(len(people), writer, until=lambda: sum(len(s.acknowledged) for s in streams) >= 150)
    killed = server.kill_all()  # mid-stream: every writer has a save in flight or about to start
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert len(killed) == 1 + WORKERS
    deadline = time.monotonic() + 10
    while not all(gone(pid) for pid in killed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(gone(pid) for pid in killed)
    assert [s.failures for s in streams] == [[] for _ in streams]
    acknowledged = [save for s in streams for save in s.acknowledged]
    assert len(acknowledged) >= 150

    restarted = servers(instance, secret_key)
    after = browsers(restarted, workshop, workshop.emails[0])
    assert saved(after.save_answer(workshop, workshop.question_ids[0], "4", "after the restart"))

    assert integrity(database) == "ok"
    history = {(r["question_id"], r["value"], r["note"]) for r in history_of(database, workshop.assessment_id)}
    assert [save for save in acknowledged if save not in history] == []
    stored = answers_of(database, workshop.assessment_id)
    for stream in streams:
        # Each question ends with its last acknowledged save, or a later one the kill cut off before its reply.
        for question in {q for q, _, _ in stream.sent} - {workshop.question_ids[0]}:
            sent = [s for s in stream.sent if s[0] == question]
            acked = [s for s in stream.acknowledged if s[0] == question]
            if not acked:
                continue
            final = (question, str(stored[question].value), stored[question].note)
            assert final in sent[sent.index(acked[-1]) :], (final, acked[-1])


def test_fifty_concurrent_writers_lose_nothing_and_never_hit_a_lock(instance, secret_key, servers, browsers):
    database = instance / "assess.sqlite3"
    workshop = make_workshop(database, participants=50)
    server = servers(instance, secret_key)
    logins: list[Browser | None] = [None] * 50

    def log_in(n: int) -> None:
        logins[n] = browsers(server, workshop, workshop.emails[n])

    for thread in run_streams(50, log_in, until=lambda: all(logins)):
        thread.join(timeout=60)
    people = [b for b in logins if b is not None]
    assert len(people) == 50

    shared = workshop.question_ids[0]
    sharers = 5
    own = {n: workshop.question_ids[1 + 2 * n : 3 + 2 * n] for n in range(50)}  # two questions each, 100 in all
    plan = {
        n: ([(shared, str(n % 5), f"shared by {n}")] if n < sharers else [])
        + [(q, str((n + i) % 5), f"writer {n} question {i}") for i, q in enumerate(own[n])]
        for n in range(50)
    }
    replies: dict[int, list[Reply]] = {n: [] for n in range(50)}
    start = threading.Barrier(50)

    def writer(n: int) -> None:
        start.wait(timeout=30)
        for save in plan[n]:
            replies[n].append(people[n].save_answer(workshop, *save))

    for thread in run_streams(50, writer, until=lambda: sum(map(len, replies.values())) == 105):
        thread.join(timeout=60)

    statuses = sorted({r.status for rs in replies.values() for r in rs})
    assert statuses == [200]
    assert all(saved(r) for rs in replies.values() for r in rs)
    log = server.log()
    assert "database is locked" not in log.lower() and "Traceback" not in log

    stored = answers_of(database, workshop.assessment_id)
    for n in range(50):
        for question, value, note in plan[n][-2:]:
            answer = stored[question]
            assert (str(answer.value), answer.note, answer.updated_by) == (value, note, workshop.emails[n])
    history = [r for r in history_of(database, workshop.assessment_id) if r["question_id"] == shared]
    assert sorted((r["note"], r["changed_by"]) for r in history) == sorted(
        (f"shared by {n}", workshop.emails[n]) for n in range(sharers)
    )
    last = history[-1]
    assert (stored[shared].note, stored[shared].updated_by) == (last["note"], last["changed_by"])


def run_backup(instance: Path, secret_key: str, target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assess", "backup", str(target)],
        cwd=PROJECT_ROOT,
        env=server_env(instance, secret_key),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_backup_while_writing_is_a_consistent_prefix_that_restores(tmp_path, instance, secret_key, servers, browsers):
    database = instance / "assess.sqlite3"
    workshop = make_workshop(database, participants=4)
    server = servers(instance, secret_key)
    people = [browsers(server, workshop, email) for email in workshop.emails]
    streams = [Stream() for _ in people]
    stop = threading.Event()

    def writer(n: int) -> None:
        stream_saves(people[n], workshop, (workshop.question_ids[n],), f"w{n}", streams[n], stop)

    threads = run_streams(len(people), writer, until=lambda: min(len(s.acknowledged) for s in streams) >= 20)
    acknowledged_before = [len(s.acknowledged) for s in streams]
    copy = tmp_path / "backup.sqlite3"
    result = run_backup(instance, secret_key, copy)
    sent_after = [len(s.sent) for s in streams]
    wait_until(lambda: all(len(s.acknowledged) > sent for s, sent in zip(streams, sent_after, strict=True)))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert result.returncode == 0, result.stderr
    assert f"wrote {copy} ({copy.stat().st_size:,} bytes)" in result.stdout
    assert [s.failures for s in streams] == [[] for _ in streams]

    assert integrity(copy) == "ok"
    copied = history_of(copy, workshop.assessment_id)
    live = history_of(database, workshop.assessment_id)
    copied_answers = answers_of(copy, workshop.assessment_id)
    for n in range(len(streams)):
        question = workshop.question_ids[n]
        notes = [r["note"] for r in copied if r["question_id"] == question]
        live_notes = [r["note"] for r in live if r["question_id"] == question]
        assert notes == [f"w{n}-{k:05d}" for k in range(1, len(notes) + 1)]  # a prefix: no gap, no reordering
        assert acknowledged_before[n] <= len(notes) <= sent_after[n]  # all acknowledged before it, none unsent
        assert live_notes[: len(notes)] == notes
        assert copied_answers[question].note == notes[-1]  # the answers table is from the same instant

    # The copy is refused as a target a second time, and left as it was.
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    again = run_backup(instance, secret_key, copy)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest

    # Restore: the copy as the database of a new instance serves the saved answers.
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "assess.sqlite3").write_bytes(copy.read_bytes())
    app = make_app(restored)
    client = app.test_client()
    response = client.post("/login", data={"email": workshop.emails[0], "password": PASSWORD})
    assert response.status_code == 302
    page_key = next(key for key, questions in workshop.pages if workshop.question_ids[0] in questions)
    page = soup(client.get(workshop.page_path(page_key)))
    note = page.find("textarea", attrs={"name": f"note:{workshop.question_ids[0]}"})
    assert note is not None and note.get_text().strip() == copied_answers[workshop.question_ids[0]].note
