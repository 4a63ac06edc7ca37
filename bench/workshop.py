"""Workshop load benchmark: 50 people answering one assessment on the production server.

    python bench/workshop.py [--seconds 60] [--saturation-seconds 10]

Starts `assess serve --production` (gunicorn) on a loopback port with a fresh temporary
instance, creates an organization with one ISO 10002 assessment and 50 member accounts, then runs
two bounded phases and prints their figures:

- workshop: every participant logs in, opens clause pages and saves answers with a 1-3 s pause
  between actions; latency percentiles of page loads and saves, and the error count
  (targets: p95 under 100 ms, zero errors); every acknowledged save is then looked up in the database;
- saturation: the same actions with no pauses from a few concurrent clients, then a bare Flask
  "ok" endpoint served by gunicorn with the same settings hammered the same way; requests/s of
  each and their ratio (target: at least 0.4).

The load generator shares the machine's cores with the servers, so it is lean (threads and
http.client with keep-alive) and prints its own CPU time next to the servers'. Only loopback
addresses are used; every server started here is stopped at the end, also on error.

tests/test_durability.py uses the same server and client helpers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from assess.cli.serving import default_workers  # noqa: E402
from assess.core import accounts  # noqa: E402
from assess.store import answers as answer_store  # noqa: E402
from assess.store import connection as store_connection  # noqa: E402
from assess.store import migrations, people  # noqa: E402
from assess.store import workshops as workshop_store  # noqa: E402

HOST = "127.0.0.1"
QUESTIONNAIRE = "iso10002-2018"
PASSWORD = "workshop horse battery staple"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the servers ---------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on; the name may hold spaces


def process_state(pid: int) -> str | None:
    """Return the process's state letter (R, S, Z for a zombie...), or None if there is no such process."""
    fields = _stat_fields(pid)
    return fields[0] if fields else None


def children_of(pid: int) -> list[int]:
    """Return the ids of the live (non-zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pid: int, with_reaped_children: bool = False) -> float:
    """Return the CPU time (user + system) a process has used, 0 if it is gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: workers that exited
    return ticks / CLOCK_TICKS


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Server:
    """A gunicorn server in its own process group, its output in a log file; stopped by `stop()`."""

    def __init__(self, argv: list[str], port: int, env: Mapping[str, str], log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self._log: IO[bytes] = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one group: kill_all() reaches the master and every worker at once
        )

    def wait_ready(self, workers: int = 1, timeout: float = 60) -> None:
        """Return once the server answers HTTP and has `workers` workers; raise RuntimeError if it exited
        or took too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                connection.request("GET", "/")
                connection.getresponse().read()
                if len(children_of(self.process.pid)) >= workers:
                    return
            except OSError:
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout} s:\n{self.log()}")

    def pids(self) -> list[int]:
        """Return the master's id and its workers'."""
        return [self.process.pid, *children_of(self.process.pid)]

    def cpu_seconds(self) -> float:
        """Return the CPU time used so far by the master and every worker, past and present."""
        master = self.process.pid
        return cpu_seconds(master, with_reaped_children=True) + sum(cpu_seconds(w) for w in children_of(master))

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill_all(self) -> list[int]:
        """SIGKILL the master and every worker at the same instant; return their ids."""
        pids = self.pids()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return pids

    def stop(self) -> None:
        """Stop gracefully (SIGTERM: the master stops its workers first), or kill the group after 20 s;
        close the log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


def server_env(instance: Path, secret_key: str) -> dict[str, str]:
    """Return the environment for a production server on `instance`: plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASSESS_HTTPS", "ASSESS_PROXY")}
    env.update(
        ASSESS_INSTANCE=str(instance),
        ASSESS_SECRET_KEY=secret_key,
        # production refuses to start without a public address or trusted hosts (links must not follow Host)
        ASSESS_TRUSTED_HOSTS=env.get("ASSESS_TRUSTED_HOSTS") or "127.0.0.1,localhost",
        PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), *filter(None, [env.get("PYTHONPATH")])]),
    )
    return env


def start_assess(
    instance: Path, secret_key: str, port: int, workers: int | None = None, threads: int = 1, log_name: str = ""
) -> Server:
    """Start `assess serve --production` on a loopback port and wait until it answers."""
    argv = [sys.executable, "-m", "assess", "serve", "--production", "--host", HOST, "--port", str(port)]
    argv += ["--threads", str(threads)] + (["--workers", str(workers)] if workers else [])
    server = Server(argv, port, server_env(instance, secret_key), instance / (log_name or f"server-{port}.log"))
    try:
        server.wait_ready(workers or default_workers())
    except BaseException:
        server.stop()
        raise
    return server


def start_bare(folder: Path, port: int, workers: int | None, threads: int) -> Server:
    """Start the bare Flask "ok" app under gunicorn with the production settings."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port), "--workers", str(workers or 0)]
    argv += ["--threads", str(threads)]
    server = Server(argv, port, dict(os.environ), folder / f"bare-{port}.log")
    try:
        server.wait_ready(workers or default_workers())
    except BaseException:
        server.stop()
        raise
    return server


def bare_app() -> Any:
    """Return the smallest Flask app: GET / answers "ok"."""
    from flask import Flask

    app = Flask("bare")

    @app.get("/")
    def ok() -> str:
        return "ok"

    return app


# --- the data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workshop:
    org_id: int
    assessment_id: int
    emails: tuple[str, ...]
    pages: tuple[tuple[str, tuple[str, ...]], ...]
    """Answering pages in order: (page key, question ids)."""

    def page_path(self, key: str) -> str:
        return f"/orgs/{self.org_id}/assessments/{self.assessment_id}/pages/{key}"

    def save_path(self, question_id: str) -> str:
        return f"/orgs/{self.org_id}/assessments/{self.assessment_id}/answers/{question_id}"

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q for _, questions in self.pages for q in questions)


def make_workshop(database_path: Path, participants: int, password: str = PASSWORD) -> Workshop:
    """Create (in the database file) an organization with one ISO 10002 assessment and its member accounts."""
    from assess.formats.questionnaires import load_bank
    from assess.web.navigation import answer_pages

    database_path.parent.mkdir(parents=True, exist_ok=True)
    database = store_connection.connect(database_path)
    try:
        migrations.migrate(database)
        consultant = people.create_user(
            database, "consultant@example.com", accounts.hash_password(password), can_create=True
        )
        org_id = people.create_organization_for(database, "Workshop Water Ltd", consultant)
        assessment_id = answer_store.create_assessment(database, org_id, QUESTIONNAIRE, "Workshop 2026", 3)
        emails = tuple(f"participant{n:02d}@example.com" for n in range(1, participants + 1))
        for email in emails:
            user_id = people.create_user(database, email, accounts.hash_password(password))
            people.set_membership(database, user_id, org_id, "member")
    finally:
        database.close()
    questionnaire = load_bank().questionnaire(QUESTIONNAIRE)
    pages = tuple((p.key, tuple(q.id for q in p.questions)) for p in answer_pages(questionnaire))
    return Workshop(org_id, assessment_id, emails, pages)


# --- the client ----------------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
VALUE_ATTRIBUTE = re.compile(r'\bvalue="([^"]*)"')


def csrf_token_in(html: str) -> str | None:
    """Return the value of the page's csrf_token field, or None."""
    tag = CSRF_INPUT.search(html)
    value = VALUE_ATTRIBUTE.search(tag.group(0)) if tag else None
    return value.group(1) if value else None


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Browser:
    """One person's browser: a kept-alive loopback connection, the cookies, and the form token."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf_token: str | None = None

    def close(self) -> None:
        self.connection.close()

    def request(self, method: str, path: str, fields: Mapping[str, str] | None = None) -> Reply:
        """Send a request and read the whole answer.

        Raises OSError or http.client.HTTPException if the server cannot be reached or goes away.
        """
        headers = {"Accept": "text/html,application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.csrf_token:
                headers["X-CSRFToken"] = self.csrf_token
        reused = self.connection.sock is not None
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            if not reused:
                raise
            # The server closed the idle kept-alive connection as we sent: nothing reached the app.
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return Reply(response.status, response.headers, data)

    def get(self, path: str) -> Reply:
        """GET a page; a form token in it becomes the one sent with the next posts."""
        reply = self.request("GET", path)
        if reply.status == 200 and reply.headers.get_content_type() == "text/html":
            self.csrf_token = csrf_token_in(reply.text) or self.csrf_token
        return reply

    def post(self, path: str, fields: Mapping[str, str]) -> Reply:
        return self.request("POST", path, fields)

    def log_in(self, email: str, password: str = PASSWORD) -> Reply:
        """Log in through the login form; return the reply to the post (302 when it worked)."""
        self.get("/login")
        reply = self.post("/login", {"email": email, "password": password, "csrf_token": self.csrf_token or ""})
        self.csrf_token = None  # the session was renewed: the token of the login page is void
        return reply

    def save_answer(self, workshop: Workshop, question_id: str, value: str, note: str) -> Reply:
        """Autosave one answer as the page's script does."""
        return self.post(workshop.save_path(question_id), {f"value:{question_id}": value, f"note:{question_id}": note})


def saved(reply: Reply) -> bool:
    """Return whether an autosave reply acknowledges a stored change."""
    if reply.status != 200:
        return False
    try:
        return reply.json().get("saved") is True
    except ValueError:
        return False


# --- the phases ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one simulated person saw: latencies per action, acknowledged saves, errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"login": [], "page": [], "save": []})
    acknowledged: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def timed(self, kind: str, action: Callable[[], Reply], ok: Callable[[Reply], bool]) -> Reply | None:
        start = time.perf_counter()
        try:
            reply = action()
        except (OSError, http.client.HTTPException, ValueError) as problem:
            self.errors.append(f"{kind}: {type(problem).__name__}: {problem}")
            return None
        finally:
            self.requests += 1
        self.latencies[kind].append(time.perf_counter() - start)
        if not ok(reply):
            self.errors.append(f"{kind}: HTTP {reply.status} {reply.text[:120]!r}")
            return None
        return reply

    def merge(self, other: Tally) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        self.acknowledged.extend(other.acknowledged)
        self.errors.extend(other.errors)
        self.requests += other.requests


def answer_pages_in_turn(
    browser: Browser,
    workshop: Workshop,
    email: str,
    deadline: float,
    tally: Tally,
    pause: Callable[[], float],
    rng: random.Random,
) -> None:
    """Open a clause page, save a few of its answers, go to the next page, until the deadline."""
    page = rng.randrange(len(workshop.pages))
    counter = 0

    def wait() -> None:
        time.sleep(max(0.0, min(pause(), deadline - time.monotonic())))

    while time.monotonic() < deadline:
        key, question_ids = workshop.pages[page]
        if tally.timed("page", lambda key=key: browser.get(workshop.page_path(key)), lambda r: r.status == 200):
            wait()
            for question_id in rng.sample(question_ids, k=min(len(question_ids), rng.randint(2, 4))):
                if time.monotonic() >= deadline:
                    break
                counter += 1
                note = f"{email} #{counter}"
                value = str(rng.randint(0, 4))
                reply = tally.timed(
                    "save",
                    lambda q=question_id, v=value, n=note: browser.save_answer(workshop, q, v, n),
                    saved,
                )
                if reply is not None:
                    tally.acknowledged.append((question_id, note))
                wait()
        else:
            wait()
        page = (page + 1) % len(workshop.pages)


def run_in_threads(count: int, target: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=target, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def workshop_phase(
    browsers: list[Browser], workshop: Workshop, seconds: float, seed: int
) -> tuple[Tally, list[Browser]]:
    """Every participant logs in (spread over the first seconds) and answers with 1-3 s pauses.

    Returns the tally and the browsers whose login worked.
    """
    tallies = [Tally() for _ in workshop.emails]
    deadline = time.monotonic() + seconds
    arrival = min(5.0, seconds / 4)

    def participant(n: int) -> None:
        rng = random.Random(seed + n)
        time.sleep(rng.uniform(0, arrival))
        browser, tally, email = browsers[n], tallies[n], workshop.emails[n]
        if tally.timed("login", lambda: browser.log_in(email), lambda r: r.status == 302):
            answer_pages_in_turn(browser, workshop, email, deadline, tally, lambda: rng.uniform(1, 3), rng)

    run_in_threads(len(workshop.emails), participant)
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, [
        b
        for b, t in zip(browsers, tallies, strict=True)
        if t.latencies["login"] and not any(e.startswith("login") for e in t.errors)
    ]


def open_room(database_path: Path, workshop: Workshop) -> tuple[int, str, tuple[str, ...]]:
    """Open a workshop (workshop mode) on the first clause group; return its id, join code and question ids."""
    from assess.core.workshop import new_join_code
    from assess.formats.questionnaires import load_bank

    _, question_ids = workshop.pages[0]
    questionnaire = load_bank().questionnaire(QUESTIONNAIRE)
    clauses = sorted({questionnaire.question(q).clause_ref for q in question_ids})
    database = store_connection.connect(database_path)
    try:
        code = new_join_code()
        room = workshop_store.create_workshop(database, workshop.org_id, workshop.assessment_id, code, clauses, "bench")
    finally:
        database.close()
    return room, code, question_ids


def room_phase(
    port: int, workshop: Workshop, room: tuple[int, str, tuple[str, ...]], people: int, seconds: float, seed: int
) -> tuple[Tally, Tally]:
    """Workshop mode: `people` join by link with a display name and rate the clause group with 1-3 s pauses,
    while the facilitator's projector view polls the room's state every 3 s.

    Returns the participants' tally and the facilitator's.
    """
    room_id, code, question_ids = room
    deadline = time.monotonic() + seconds
    kinds = ("join", "rate page", "rating")
    tallies = [Tally(latencies={k: [] for k in kinds}) for _ in range(people)]
    facilitator = Tally(latencies={"poll": []})
    state = f"/orgs/{workshop.org_id}/workshops/{room_id}/state.json"

    def participant(n: int) -> None:
        rng = random.Random(seed + 5000 + n)
        tally = tallies[n]
        browser = Browser(port)
        try:
            time.sleep(rng.uniform(0, min(5.0, seconds / 4)))
            if not tally.timed("join", lambda: browser.get(f"/w/{code}"), lambda r: r.status == 200):
                return
            joined = tally.timed(
                "join",
                lambda: browser.post(f"/w/{code}", {"name": f"Person {n}", "csrf_token": browser.csrf_token or ""}),
                lambda r: r.status == 302,
            )
            if not joined or not tally.timed(
                "rate page", lambda: browser.get(f"/w/{code}/q/{question_ids[0]}"), lambda r: r.status == 200
            ):
                return
            while time.monotonic() < deadline:
                question = rng.choice(question_ids)
                value = str(rng.randint(0, 4))
                tally.timed(
                    "rating",
                    lambda q=question, v=value: browser.post(f"/w/{code}/rate/{q}", {f"value:{q}": v, f"note:{q}": ""}),
                    lambda r: r.status == 200,
                )
                time.sleep(max(0.0, min(rng.uniform(1, 3), deadline - time.monotonic())))
        finally:
            browser.close()

    def projector(_n: int) -> None:
        browser = Browser(port)
        try:
            if facilitator.timed("poll", lambda: browser.log_in("consultant@example.com"), lambda r: r.status == 302):
                while time.monotonic() < deadline:
                    facilitator.timed("poll", lambda: browser.get(state), lambda r: r.status == 200)
                    time.sleep(max(0.0, min(3.0, deadline - time.monotonic())))
        finally:
            browser.close()

    run_in_threads(people + 1, lambda n: projector(n) if n == people else participant(n))
    total = Tally(latencies={k: [] for k in kinds})
    for tally in tallies:
        total.merge(tally)
    return total, facilitator


def saturation_phase(browsers: list[Browser], workshop: Workshop, seconds: float, seed: int) -> tuple[Tally, float]:
    """The same actions without pauses from len(browsers) logged-in clients; return the tally and elapsed time."""
    tallies = [Tally() for _ in browsers]
    start = time.monotonic()
    deadline = start + seconds

    def client(n: int) -> None:
        rng = random.Random(seed + 1000 + n)
        answer_pages_in_turn(browsers[n], workshop, f"saturation{n}", deadline, tallies[n], lambda: 0.0, rng)

    run_in_threads(len(browsers), client)
    elapsed = time.monotonic() - start
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, elapsed


def bare_phase(port: int, concurrency: int, seconds: float) -> tuple[Tally, float]:
    """GET the bare endpoint without pauses from `concurrency` clients; return the tally and elapsed time."""
    tallies = [Tally() for _ in range(concurrency)]
    start = time.monotonic()
    deadline = start + seconds

    def client(n: int) -> None:
        browser = Browser(port)
        try:
            while time.monotonic() < deadline:
                tallies[n].timed("page", lambda: browser.request("GET", "/"), lambda r: r.body == b"ok")
        finally:
            browser.close()

    run_in_threads(concurrency, client)
    elapsed = time.monotonic() - start
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, elapsed


# --- checks and figures --------------------------------------------------------------------------


def missing_saves(
    database_path: Path, workshop: Workshop, acknowledged: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Return the acknowledged saves (question id, note) that are not in the answer history."""
    database = store_connection.connect(database_path)
    try:
        stored = {
            (r["question_id"], r["note"])
            for r in database.query(
                "SELECT question_id, note FROM answer_history WHERE assessment_id = ?", [workshop.assessment_id]
            )
        }
    finally:
        database.close()
    return [save for save in acknowledged if save not in stored]


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    p50, p95, p99 = (cuts[i] * 1000 for i in (49, 94, 98))
    return f"n={len(values):<6} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else float("nan")


@contextmanager
def measured_cpu(servers: list[Server]) -> Iterator[dict[str, float]]:
    """Yield a dict that holds, after the block, the CPU seconds the servers and this process used in it."""
    figures: dict[str, float] = {}
    before_servers, before_self = sum(s.cpu_seconds() for s in servers), own_cpu_seconds()
    yield figures
    figures["server"] = sum(s.cpu_seconds() for s in servers) - before_servers
    figures["client"] = own_cpu_seconds() - before_self


def log_problems(log: str) -> str:
    return f'{log.count("Traceback")} tracebacks, {log.lower().count("database is locked")} "database is locked"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="workshop phase length (default 60)")
    parser.add_argument("--saturation-seconds", type=float, default=10, help="each saturation run (default 10)")
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--room-seconds", type=float, default=30, help="workshop-mode phase length (default 30)")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: as assess serve)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1: sync workers)")
    parser.add_argument("--concurrency", type=int, default=0, help="saturation clients (default: 2 x workers)")
    parser.add_argument("--seed", type=int, default=10002)
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    workers = args.workers or default_workers()
    if args.serve_bare:
        from assess.cli.serving import gunicorn_options, run_gunicorn

        run_gunicorn(bare_app, gunicorn_options(HOST, args.serve_bare, workers, args.threads))
        return 0
    concurrency = args.concurrency or 2 * workers

    import gunicorn

    with tempfile.TemporaryDirectory(prefix="assess-bench-") as folder, ExitStack() as stack:
        instance = Path(folder) / "instance"
        database_path = instance / "assess.sqlite3"
        started = time.perf_counter()
        workshop = make_workshop(database_path, args.participants)
        setup_seconds = time.perf_counter() - started
        check = store_connection.connect(database_path)
        version = store_connection.sqlite_version(check)
        check.close()
        kind = f"{workers} {'gthread x' + str(args.threads) if args.threads > 1 else 'sync'} workers"
        print("assess workshop benchmark")
        print(
            f"SQLite {version} ({'free of' if store_connection.sqlite_is_safe(version) else 'HAS'} the WAL-reset bug), "
            f"gunicorn {gunicorn.__version__}, {kind}, {os.cpu_count()} cores"
        )
        print(
            f"setup: organization, ISO 10002 assessment, {args.participants} member accounts in {setup_seconds:.1f} s"
        )

        app = start_assess(instance, secrets.token_hex(32), free_port(), workers, args.threads, "assess.log")
        stack.callback(app.stop)
        browsers = [Browser(app.port) for _ in workshop.emails]
        stack.callback(lambda: [b.close() for b in browsers])
        print(f"assess serve --production on http://{HOST}:{app.port}/ (pids {app.pids()})")

        with measured_cpu([app]) as cpu:
            tally, logged_in = workshop_phase(browsers, workshop, args.seconds, args.seed)
        logins = tally.latencies["login"]
        print(f"\nworkshop phase: {args.seconds:g} s, {args.participants} participants, 1-3 s pauses")
        print(f"  logins      {len(logins)}/{args.participants} ok, {percentiles(logins)}")
        print(f"  page loads  {percentiles(tally.latencies['page'])}")
        print(f"  saves       {percentiles(tally.latencies['save'])}")
        print(f"  requests    {tally.requests} ({tally.requests / args.seconds:.1f}/s), errors {len(tally.errors)}")
        for problem in sorted(set(tally.errors))[:5]:
            print(f"    {problem}")
        lost = missing_saves(database_path, workshop, tally.acknowledged)
        print(f"  acknowledged saves in the database: {len(tally.acknowledged) - len(lost)}/{len(tally.acknowledged)}")
        print(f"  CPU: server {cpu['server']:.1f} s, load generator {cpu['client']:.1f} s")
        workshop_p95 = max(p95(tally.latencies["page"]), p95(tally.latencies["save"]))
        errors = len(tally.errors) + len(lost)

        room = open_room(database_path, workshop)
        with measured_cpu([app]) as room_cpu:
            rated, projector = room_phase(app.port, workshop, room, args.participants, args.room_seconds, args.seed)
        print(
            f"\nworkshop mode: {args.room_seconds:g} s, {args.participants} people joined by link rate "
            f"{len(room[2])} questions with 1-3 s pauses; the facilitator's view polls every 3 s"
        )
        print(f"  join        {percentiles(rated.latencies['join'])}")
        print(f"  rate page   {percentiles(rated.latencies['rate page'])}")
        print(f"  ratings     {percentiles(rated.latencies['rating'])}")
        print(f"  polls       {percentiles(projector.latencies['poll'][1:])}")
        print(
            f"  requests    {rated.requests + projector.requests}, errors {len(rated.errors) + len(projector.errors)}"
        )
        for problem in sorted(set(rated.errors + projector.errors))[:5]:
            print(f"    {problem}")
        print(f"  CPU: server {room_cpu['server']:.1f} s, load generator {room_cpu['client']:.1f} s")
        room_p95 = max(p95(rated.latencies["rating"]), p95(projector.latencies["poll"][1:] or [0.0]))
        errors += len(rated.errors) + len(projector.errors)

        print(f"\nsaturation phase: {args.saturation_seconds:g} s each, {concurrency} clients, no pauses")
        clients = logged_in[:concurrency]
        with measured_cpu([app]) as app_cpu:
            busy, elapsed = saturation_phase(clients, workshop, args.saturation_seconds, args.seed)
        app_rate = busy.requests / elapsed
        print(
            f"  assess (clause pages + saves)  {app_rate:7.1f} req/s   errors {len(busy.errors)}   "
            f"CPU: server {app_cpu['server']:.1f} s, load generator {app_cpu['client']:.1f} s"
        )
        print(f"    page loads  {percentiles(busy.latencies['page'])}")
        print(f"    saves       {percentiles(busy.latencies['save'])}")
        lost_busy = missing_saves(database_path, workshop, busy.acknowledged)
        found = len(busy.acknowledged) - len(lost_busy)
        print(f"    acknowledged saves in the database: {found}/{len(busy.acknowledged)}")
        errors += len(busy.errors) + len(lost_busy)

        bare = start_bare(Path(folder), free_port(), workers, args.threads)
        stack.callback(bare.stop)
        with measured_cpu([bare]) as bare_cpu:
            hammer, elapsed = bare_phase(bare.port, len(clients), args.saturation_seconds)
        bare_rate = hammer.requests / elapsed
        print(
            f'  bare Flask "ok"                {bare_rate:7.1f} req/s   errors {len(hammer.errors)}   '
            f"CPU: server {bare_cpu['server']:.1f} s, load generator {bare_cpu['client']:.1f} s"
        )
        ratio = app_rate / bare_rate if bare_rate else float("nan")
        print(f"  ratio assess / bare: {ratio:.2f}")
        errors += len(hammer.errors)

        log = app.log()
        problems = log.count("Traceback") + log.lower().count("database is locked")
        print(f"\nserver log: {log_problems(log)}")
        errors += problems
        print("\ntargets")
        print(f"  workshop p95 under 100 ms: {workshop_p95 * 1000:.1f} ms  {'met' if workshop_p95 < 0.1 else 'MISSED'}")
        print(f"  workshop mode p95 under 100 ms: {room_p95 * 1000:.1f} ms  {'met' if room_p95 < 0.1 else 'MISSED'}")
        print(f"  zero errors, nothing lost: {errors}  {'met' if errors == 0 else 'MISSED'}")
        print(f"  saturation ratio >= 0.4:   {ratio:.2f}  {'met' if ratio >= 0.4 else 'MISSED'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
