"""`assess prepare DOCUMENT FILE.json`: the document interview in a terminal, run as a real process
that a test answers prompt by prompt, the way a person at a keyboard would."""

import json
import os
import re
import select
import subprocess
import sys

import pytest

from tests.test_interview import docx_text, sample

PROMPT = re.compile(
    r"(?m)^(  Answer(?: \[[^\n]*\])?|  \d+|Your organization's name[^\n]*|.* Answer them too\? \[y/N\]): $"
)
OPTIONAL = "Answer them too? [y/N]: "


class Terminal:
    """`assess prepare` in a child process; `answer` reads up to the next prompt and types a line."""

    def __init__(self, *args, cwd):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assess", "prepare", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
        )
        self.seen = ""

    def prompt(self):
        """Return the text since the last answer, up to and including the next prompt (None at the end)."""
        start = len(self.seen)
        while True:
            ready, _, _ = select.select([self.process.stdout], [], [], 30)
            if not ready:
                self.process.kill()
                raise AssertionError(f"no prompt within 30 s after:\n{self.seen[-1500:]}")
            chunk = os.read(self.process.stdout.fileno(), 65536).decode("utf-8")
            if not chunk:
                return None
            self.seen += chunk
            if PROMPT.search(self.seen[start:]) and self.seen.endswith(": "):
                return self.seen[start:]

    def type(self, line):
        self.process.stdin.write((line + "\n").encode("utf-8"))
        self.process.stdin.flush()

    def finish(self):
        self.process.stdin.close()
        self.seen += self.process.stdout.read().decode("utf-8")
        self.process.stdout.close()
        return self.process.wait(timeout=60)


def fact_asked(bank, text):
    """Return the fact whose question is the last unindented line before the prompt (None when the
    prompt asks whether to answer a topic's optional details)."""
    if text.endswith(OPTIONAL):
        return None
    lines = [line for line in text.splitlines() if line and not line.startswith(" ")]
    by_text = {f.text: f for f in bank.profile.facts}
    for line in reversed(lines):
        if line in by_text:
            return by_text[line]
    raise AssertionError(f"no question before the prompt:\n{text[-500:]}")


def typed_answers(fact):
    """The lines a person types for the fact: one answer, or one row per line and an empty line."""
    value = sample(fact)
    if fact.type == "list":
        rows = [" | ".join(row.get(f.id, "") for f in fact.fields) if fact.fields else row for row in value]
        return [*rows, ""]
    if fact.type == "multichoice":
        return [", ".join(str(fact.choices.index(c) + 1) for c in value)]
    if fact.type == "number":
        return [str(int(value)) if float(value).is_integer() else str(value)]
    return [str(value)]


@pytest.fixture
def run(tmp_path):
    started = []

    def start(*args):
        started.append(Terminal(*args, cwd=tmp_path))
        return started[-1]

    yield start
    for terminal in started:  # a test that failed half-way leaves no process or pipe behind
        if terminal.process.poll() is None:
            terminal.process.kill()
        terminal.process.wait(timeout=60)
        for pipe in (terminal.process.stdin, terminal.process.stdout):
            if not pipe.closed:
                pipe.close()


def test_a_new_file_answered_in_the_terminal_gives_a_complaints_procedure_with_no_placeholder(run, tmp_path, bank):
    terminal = run("complaints-procedure", "brook.json")
    assert "Your organization's name" in terminal.prompt()
    terminal.type("Brook Lane Dental Practice")
    asked = []
    while (text := terminal.prompt()) is not None:
        if text.endswith(OPTIONAL):
            terminal.type("n")  # the details the document reads well without: not now
            continue
        fact = fact_asked(bank, text)
        asked.append(fact.id)
        first, *more = typed_answers(fact)
        terminal.type(first)
        for line in more:  # the further rows of a list, each at its own prompt
            assert re.search(r"  \d+: $", terminal.prompt())
            terminal.type(line)
    assert terminal.finish() == 0, terminal.seen[-2000:]
    assert len(asked) == len(set(asked)), "a fact was asked twice"
    assert "complaints-procedure: 0 missing facts, 0 contradictions" in terminal.seen
    assert "Next: assess generate brook.json --doc complaints-procedure" in terminal.seen
    profile = json.loads((tmp_path / "brook.json").read_text())["organization"]["profile"]
    assert set(asked) <= set(profile)
    assert "org.trading_name" not in asked and "org.trading_name" not in profile  # optional, declined
    generated = subprocess.run(
        [sys.executable, "-m", "assess", "generate", "brook.json", "--doc", "complaints-procedure", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    text = docx_text((tmp_path / generated.stdout.split()[0]).read_bytes())
    assert "Brook Lane" in text
    assert not re.search(r"\[[a-z][^\]]{3,}\]", text), re.findall(r"\[[a-z][^\]]{3,}\]", text)[:5]


def test_stopping_half_way_keeps_the_topics_answered_and_a_second_run_does_not_ask_them_again(run, tmp_path, bank):
    terminal = run("code-of-conduct", "charity.json")
    terminal.prompt()
    terminal.type("Riverside Trust")
    text = terminal.prompt()
    first = fact_asked(bank, text)
    assert first.id == "org.legal_name"
    terminal.type("Riverside Community Trust")
    while "topic 2 of" not in (text := terminal.prompt()):
        terminal.type("")  # Enter: keep what is shown (the default, or nothing)
    assert terminal.finish() == 1  # stopped at a prompt, like Ctrl-D
    assert "Stopped. The topics answered so far are saved in charity.json." in terminal.seen
    saved = json.loads((tmp_path / "charity.json").read_text())["organization"]
    assert saved["name"] == "Riverside Trust"
    assert saved["profile"]["org.legal_name"] == "Riverside Community Trust"

    again = run("code-of-conduct", "charity.json")
    asked = []
    while "topic 2 of" not in (text := again.prompt()):
        if fact := fact_asked(bank, text):
            asked.append(fact.id)
        again.type("")
    again.finish()
    assert "Already known: Legal name of the organization Riverside Community Trust" in again.seen
    assert asked and "org.legal_name" not in asked
    assert json.loads((tmp_path / "charity.json").read_text())["organization"]["profile"]["org.legal_name"] == (
        "Riverside Community Trust"
    )


def test_a_wrong_answer_is_explained_and_asked_again_and_the_file_keeps_only_valid_values(run, tmp_path, bank):
    (tmp_path / "org.json").write_text(
        json.dumps({"format": "assess/1", "organization": {"name": "Acme", "profile": {}}, "assessments": []})
    )
    terminal = run("complaints-procedure", "org.json")
    while True:
        text = terminal.prompt()
        fact = fact_asked(bank, text)
        if fact is not None and fact.type == "url":
            terminal.type("not a web address")
            assert "try again" in terminal.prompt()
            terminal.type("https://www.acme.example")
            break
        terminal.type("")
    while "topic 2 of" not in terminal.prompt():
        terminal.type("")
    terminal.finish()
    profile = json.loads((tmp_path / "org.json").read_text())["organization"]["profile"]
    assert profile[fact.id] == "https://www.acme.example"


def test_a_file_that_is_not_an_exchange_file_is_refused_and_left_alone(run, tmp_path):
    (tmp_path / "bad.json").write_text('{"format": "assess/1", "organization": {}}')
    terminal = run("complaints-procedure", "bad.json")
    assert terminal.prompt() is None
    assert terminal.finish() == 1
    assert "rejected, nothing was read" in terminal.seen
    assert (tmp_path / "bad.json").read_text() == '{"format": "assess/1", "organization": {}}'
