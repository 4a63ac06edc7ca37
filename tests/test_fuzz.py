"""Bad input at scale: random, oversized, wrongly typed and unicode-laden posts to every form.

Every form endpoint and the import get hypothesis-made requests: values with control characters,
NUL, lone surrogates sent as invalid UTF-8, megabytes of text, several values where one is
expected, unknown fields, other encodings (multipart, JSON, a wrong content type) - next to
plausible values, so the deeper paths run too. Each answer must be a success or a 4xx, never a
5xx, and a 4xx must leave every row of the database as it was.
"""

from __future__ import annotations

import copy
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assess.core import accounts
from assess.core.slug import slugify
from assess.formats.example import example_organization
from assess.formats.exchange import dump_exchange
from assess.formats.questionnaires import load_bank
from assess.store import connection, people
from assess.store import workshops as workshop_store
from assess.web.database import get_db
from assess.web.forms import fact_field_name
from assess.web.navigation import answer_pages
from tests.conftest import ADMIN, PASSWORD, Site, add_user

QUESTIONNAIRE = "iso10002-2018"
PAGE = "4.2"
MEMBER = "member@example.com"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- values -------------------------------------------------------------------------------------

characters = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(categories=["Cs"]),  # lone surrogates: sent as the invalid UTF-8 they encode to
    st.characters(categories=["Cc", "Cf", "Zl", "Zp"]),  # NUL, controls, bidi overrides, line separators
)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n",
        "\x0b\x0c\x1b",
        "\u202e\u2066",
        "\ufeff",
        "\ud800",
        "\udfff\ud800",
        "\U0001d54f" * 50,
        "0",
        "4",
        "5",
        "-1",
        "na",
        "unknown",
        "NaN",
        "1e309",
        "99999999999999999999",
        "true",
        "null",
        "[]",
        "{}",
        '<script>alert("x")</script>',
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00",
        "x" * 201,
        "é" * 5000,
    ]
)
OVERSIZED = st.builds(lambda c, n: c * n, characters, st.integers(1_000, 400_000))
FUZZ_TEXT = st.one_of(st.text(characters, max_size=80), SPECIAL, OVERSIZED)
FUZZ_VALUE = st.one_of(FUZZ_TEXT, st.binary(max_size=120))


def as_bytes(value: str | bytes) -> bytes:
    """Return the bytes sent for a value; a lone surrogate becomes the invalid UTF-8 it encodes to."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def field_values(plausible: st.SearchStrategy) -> st.SearchStrategy[list[str | bytes]]:
    """One value as a browser sends it, or several where one is expected, plausible or not."""
    one = st.one_of(plausible, FUZZ_VALUE)
    return st.one_of(one.map(lambda v: [v]), st.lists(one, min_size=2, max_size=4))


@st.composite
def form_pairs(draw, fields: dict[str, st.SearchStrategy]) -> list[tuple[bytes, bytes]]:
    """Return (name, value) pairs for a form.

    "plausible": every field once with a plausible value, so the valid paths run; "one-off": the
    same with one field fuzzed; "wild": some fields, maybe repeated, any values, unknown fields too.
    """
    mode = draw(st.sampled_from(["plausible", "one-off", "wild", "wild"]))
    if mode != "wild":
        odd = draw(st.sampled_from(sorted(fields))) if mode == "one-off" else None
        return [
            (name.encode(), as_bytes(draw(FUZZ_VALUE if name == odd else plausible)))
            for name, plausible in fields.items()
        ]
    pairs = []
    for name, plausible in fields.items():
        if draw(st.booleans()) or draw(st.booleans()):  # three in four fields are sent
            pairs += [(name.encode(), as_bytes(v)) for v in draw(field_values(plausible))]
    extra = draw(st.dictionaries(st.text(characters, max_size=20), field_values(FUZZ_TEXT), max_size=2))
    for name, values in extra.items():
        pairs += [(as_bytes(name), as_bytes(v)) for v in values]
    return draw(st.permutations(pairs)) if len(pairs) < 30 else pairs


def urlencoded(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs)


def multipart(pairs: list[tuple[bytes, bytes]], boundary: bytes, files: dict[bytes, bytes] | None = None) -> bytes:
    """Return a multipart/form-data body built by hand, so names and file names can be any bytes."""
    parts = [
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + k + b'"\r\n\r\n' + v + b"\r\n"
        for k, v in pairs
    ]
    for filename, content in (files or {}).items():
        parts.append(
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            b"Content-Type: application/json\r\n\r\n" + content + b"\r\n"
        )
    return b"".join(parts) + b"--" + boundary + b"--\r\n"


@st.composite
def encoded_body(draw, fields: dict[str, st.SearchStrategy]) -> tuple[bytes, str]:
    """Return (body, content type): the form urlencoded, as multipart, as JSON, or under a wrong type."""
    pairs = draw(form_pairs(fields))
    how = draw(st.sampled_from(["urlencoded", "urlencoded", "urlencoded", "multipart", "json", "text"]))
    if how == "multipart":
        boundary = b"fuzz" + secrets.token_hex(8).encode()
        return multipart(pairs, boundary), f"multipart/form-data; boundary={boundary.decode()}"
    if how == "json":
        document = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in pairs}
        return json.dumps(document).encode(), "application/json"
    return urlencoded(pairs), "text/plain" if how == "text" else "application/x-www-form-urlencoded"


# --- the endpoints --------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    org: int
    assessment: int
    invitations: tuple[str, ...]
    """Tokens: one for a new person, one for an email that has an account by now."""
    workshop: int
    code: str
    action: int


@dataclass(frozen=True)
class Endpoint:
    path: Callable[[World], st.SearchStrategy[str]]
    fields: Callable[[World], dict[str, st.SearchStrategy]]
    anonymous: bool = False
    changes_on_refusal: tuple[str, ...] = ()
    """Tables a refused post may change by design (a failed login is counted)."""


def fixed(template: str) -> Callable[[World], st.SearchStrategy[str]]:
    return lambda w: st.just(template.format(o=w.org, a=w.assessment))


NAMES = st.sampled_from(["Acme Water", "  Trimmed  ", "Ünïcode Ltd", "x" * 200])
EMAILS = st.sampled_from([ADMIN[0], MEMBER, "new.person@example.com", "ADMIN@EXAMPLE.COM", "no-at-sign"])
PASSWORDS = st.sampled_from([PASSWORD, "another horse battery staple", "short", "password123", "x" * 300])
TARGETS = st.sampled_from(["1", "2", "3", "4", "0", "5"])
LEVELS = st.sampled_from(["0", "1", "2", "3", "4", "na", "unknown", ""])
CHECKBOX = st.sampled_from(["y", "on", "1", ""])


@cache
def bank():
    return load_bank()


def questionnaire():
    return bank().questionnaire(QUESTIONNAIRE)


@cache
def page_questions() -> tuple[str, ...]:
    page = next(p for p in answer_pages(questionnaire()) if p.key == PAGE)
    return tuple(q.id for q in page.questions)


def answer_fields(question_ids: tuple[str, ...]) -> dict[str, st.SearchStrategy]:
    fields: dict[str, st.SearchStrategy] = {}
    for qid in question_ids:
        fields[f"value:{qid}"] = LEVELS
        for part in ("note", "evidence", "reason"):
            fields[f"{part}:{qid}"] = st.sampled_from(["", "Minutes of the March meeting", "We do not sell online"])
        fields[f"rev:{qid}"] = st.sampled_from(["", "0", "1", "2", "99", "-1", "x", "9" * 30])
        fields[f"resolve:{qid}"] = st.sampled_from(["", "theirs", "mine", "both", "everything"])
    return fields


def profile_fields(_world: World) -> dict[str, st.SearchStrategy]:
    plausible = {
        "text": st.sampled_from(["Acme", ""]),
        "longtext": st.sampled_from(["Line one\nline two", ""]),
        "number": st.sampled_from(["3", "2.5", "-1", "1e400", ""]),
        "date": st.sampled_from(["2026-03-01", "2026-02-30", "01/03/2026", ""]),
        "email": st.sampled_from(["complaints@example.com", "nope"]),
        "url": st.sampled_from(["https://example.com/complaints", "javascript:alert(1)", "ftp://x"]),
    }
    fields: dict[str, st.SearchStrategy] = {}
    for fact in bank().profile.facts:
        name = fact_field_name(fact)
        if fact.type == "list":
            for row in range(2):
                for sub in fact.fields:
                    fields[f"{name}-{row}-{sub.id}"] = st.sampled_from(["Stage 1", ""])
        elif fact.type in ("choice", "multichoice"):
            fields[name] = st.sampled_from([*fact.choices, "not a choice"])
        else:
            fields[name] = plausible[fact.type]
    return fields


def autosave_path(world: World) -> st.SearchStrategy[str]:
    question = st.one_of(st.sampled_from(page_questions()), st.text(characters, min_size=1, max_size=30))
    return question.map(
        lambda q: f"/orgs/{world.org}/assessments/{world.assessment}/answers/{quote(as_bytes(q), safe='')}"
    )


FORMS: dict[str, Endpoint] = {
    "organizations.new": Endpoint(fixed("/orgs/new"), lambda w: {"name": NAMES}),
    "organizations.edit": Endpoint(fixed("/orgs/{o}/edit"), lambda w: {"name": NAMES}),
    "organizations.profile": Endpoint(fixed("/orgs/{o}/profile"), profile_fields),
    "organizations.profile_section": Endpoint(
        lambda w: st.sampled_from([slugify(t) for t in bank().profile.sections] + ["nope"]).map(
            lambda key: f"/orgs/{w.org}/profile/{key}"
        ),
        lambda w: {**profile_fields(w), "go": st.sampled_from(["next", "list", ""])},
    ),
    "assessments.new": Endpoint(
        fixed("/orgs/{o}/assessments/new"),
        lambda w: {
            "questionnaire": st.sampled_from([*bank().questionnaires, "iso9001"]),
            "title": NAMES,
            "target": TARGETS,
        },
    ),
    "assessments.edit": Endpoint(
        fixed("/orgs/{o}/assessments/{a}/edit"), lambda w: {"title": NAMES, "target": TARGETS}
    ),
    "assessments.duplicate": Endpoint(fixed("/orgs/{o}/assessments/{a}/duplicate"), lambda w: {"title": NAMES}),
    "assessments.page": Endpoint(
        fixed("/orgs/{o}/assessments/{a}/pages/" + PAGE),
        lambda w: {**answer_fields(page_questions()), "go": st.sampled_from(["next", "previous", "check", "hub"])},
    ),
    "assessments.save_answer": Endpoint(
        autosave_path, lambda w: answer_fields(page_questions()[:1]) | answer_fields(page_questions()[1:2])
    ),
    "assessments.history": Endpoint(
        lambda w: st.sampled_from(page_questions()[:2]).map(
            lambda q: f"/orgs/{w.org}/assessments/{w.assessment}/questions/{q}/history"
        ),
        lambda w: {"revision": st.sampled_from(["1", "2", "0", "x", ""]), "shown": st.sampled_from(["1", "3", ""])},
    ),
    "people.index": Endpoint(
        fixed("/orgs/{o}/people"),
        lambda w: {"email": EMAILS, "role": st.sampled_from([*accounts.ROLES, "admin", "owner"])},
    ),
    "people.users": Endpoint(
        fixed("/admin/users"),
        lambda w: {"email": EMAILS, "password": PASSWORDS, "can_create": CHECKBOX, "is_admin": CHECKBOX},
    ),
    "auth.change_password": Endpoint(
        fixed("/account/password"), lambda w: {"current": PASSWORDS, "new": PASSWORDS, "confirm": PASSWORDS}
    ),
    "auth.login": Endpoint(
        fixed("/login"), lambda w: {"email": EMAILS, "password": PASSWORDS}, True, ("rate_counters",)
    ),
    "auth.setup": Endpoint(
        fixed("/setup"),
        lambda w: {
            "code": st.sampled_from(["", "AAAA-BBBB-CCCC", "x" * 50]),
            "email": EMAILS,
            "password": PASSWORDS,
            "confirm": PASSWORDS,
        },
        True,
    ),
    "auth.invitation": Endpoint(
        lambda w: st.sampled_from([*w.invitations, "no-such-token"]).map(lambda t: f"/invite/{t}"),
        lambda w: {"password": PASSWORDS, "confirm": PASSWORDS},
        True,
    ),
}


def interview_path(suffix: str = "") -> Callable[[World], st.SearchStrategy[str]]:
    documents = st.sampled_from(
        ["complaints-procedure", "code-of-conduct", "dispute-resolution-policy", "gap-report", "x"]
    )
    numbers = st.sampled_from(["1", "2", "13", "99", "0"])
    return lambda w: st.tuples(documents, numbers).map(
        lambda dn: f"/orgs/{w.org}/documents/{dn[0]}/prepare/{dn[1]}{suffix}"
    )


FORMS.update(
    {
        "prepare.topic": Endpoint(
            interview_path(),
            lambda w: {**profile_fields(w), "go": st.sampled_from(["next", "back", "preview", "elsewhere", ""])},
        ),
        "prepare.live_preview": Endpoint(interview_path("/preview"), profile_fields),
    }
)

WORKSHOP_QUESTION = "10002-4.2-a"

FORMS.update(
    {
        "workshops.new": Endpoint(
            fixed("/orgs/{o}/assessments/{a}/workshops/new"),
            lambda w: {
                "clauses": st.sampled_from(["4.2", "4", "7.4", "99", ""]),
                "max_participants": st.sampled_from(["", "1", "200", "1000", "1001", "0", "-5", "1e3", "9" * 30]),
            },
        ),
        "workshops.record": Endpoint(
            lambda w: st.just(f"/orgs/{w.org}/workshops/{w.workshop}/consensus/{WORKSHOP_QUESTION}"),
            lambda w: {
                f"{WORKSHOP_QUESTION}-value": LEVELS,
                f"{WORKSHOP_QUESTION}-note": st.sampled_from(["", "Agreed after discussion"]),
                f"{WORKSHOP_QUESTION}-reason": st.sampled_from(["", "No branches"]),
            },
        ),
        # (a join code is counted per address before it is looked up, and taken back when it is right)
        "workshops.join_code": Endpoint(
            fixed("/join"),
            lambda w: {"code": st.sampled_from([w.code, w.code.lower(), "NOPE", ""])},
            True,
            ("rate_counters",),
        ),
        "workshops.join": Endpoint(
            lambda w: st.just(f"/w/{w.code}"), lambda w: {"name": NAMES, "as_self": CHECKBOX}, True, ("rate_counters",)
        ),
        "workshops.rate_question": Endpoint(
            lambda w: st.sampled_from([WORKSHOP_QUESTION, "10002-4.2-b", "nope"]).map(lambda q: f"/w/{w.code}/q/{q}"),
            lambda w: {
                "value": LEVELS,
                "comment": st.sampled_from(["", "only by email"]),
                "go": st.sampled_from(["next", "back", "done", ""]),
            },
            True,
        ),
        "workshops.rate_one": Endpoint(
            lambda w: st.just(f"/w/{w.code}/rate/{WORKSHOP_QUESTION}"),
            lambda w: answer_fields((WORKSHOP_QUESTION,)),
            True,
        ),
        "actions.add": Endpoint(
            lambda w: st.sampled_from(page_questions()).map(
                lambda q: f"/orgs/{w.org}/assessments/{w.assessment}/gaps/{q}/action"
            ),
            lambda w: {"what": st.sampled_from(["Publish the complaints page", "", "x" * 6000])},
        ),
        "actions.edit": Endpoint(
            lambda w: st.just(f"/orgs/{w.org}/actions/{w.action}/edit"),
            lambda w: {
                "what": st.sampled_from(["Publish the complaints page", ""]),
                "owner": NAMES,
                "due": st.sampled_from(["2027-01-31", "2027-02-30", "soon", ""]),
                "status": st.sampled_from(["open", "in progress", "done", "abandoned", ""]),
            },
        ),
        "actions.add_gaps": Endpoint(
            fixed("/orgs/{o}/assessments/{a}/gaps/plan"),
            lambda w: {
                "gap": st.sampled_from([*page_questions(), "10002-99-z", ""]),
                "owner": NAMES,
                "due": st.sampled_from(["2027-01-31", "2027-02-30", "soon", ""]),
            },
        ),
        "actions.save_table": Endpoint(
            fixed("/orgs/{o}/actions/table"),
            lambda w: {
                "row": st.sampled_from([str(w.action), "999999", "x", "\u00b2", ""]),
                "pick": st.sampled_from([str(w.action), ""]),
                f"what-{w.action}": st.sampled_from(["Publish the complaints page", "", "x" * 6000]),
                f"owner-{w.action}": NAMES,
                f"due-{w.action}": st.sampled_from(["2027-01-31", "2027-02-30", "soon", ""]),
                f"status-{w.action}": st.sampled_from(["open", "in progress", "done", "abandoned", ""]),
                f"seen-{w.action}": st.sampled_from(["", "stale"]),
                "all-owner": NAMES,
                "all-status": st.sampled_from(["", "done", "abandoned"]),
            },
        ),
        "workbooks.upload": Endpoint(
            fixed("/orgs/{o}/assessments/{a}/workbook"), lambda w: {"file": st.sampled_from(["", "not a workbook"])}
        ),
        "workbooks.settle_upload": Endpoint(
            fixed("/orgs/{o}/assessments/{a}/workbook/settle"),
            lambda w: {
                "upload": st.sampled_from(["", "no-such-upload", "x" * 300]),
                "resolve:10002-4.2-a": st.sampled_from(["theirs", "mine", "both", "nonsense"]),
            },
        ),
    }
)

NO_INPUT = {
    "auth.logout",
    "workshops.names",
    "workshops.close",
    "workshops.remove",
    "actions.delete",
    "organizations.delete",
    "assessments.delete",
    "people.remove",
    "people.toggle_user",
}
"""Posts that carry nothing but the CSRF token: confirmations."""

NOT_YET_FUZZED: tuple[str, ...] = ()
"""Prefixes of endpoints not fuzzed yet: none."""


# --- the database ---------------------------------------------------------------------------------


def snapshot(app, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Return every row of every table (sessions without their last-seen time, touched by reading)."""
    database = connection.connect(app.config["DATABASE"])
    try:
        tables = {}
        for table in database.table_names():
            if table in ignore:
                continue
            columns = "digest, user_id, created_at" if table == "sessions" else "*"
            tables[table] = sorted(
                map(tuple, database.execute(f"SELECT {columns} FROM [{table}]").fetchall()), key=repr
            )
        return tables
    finally:
        database.close()


@pytest.fixture
def world(app, client) -> World:
    site = Site(client)
    org = site.org("Fuzz Water")
    assessment = site.assessment(org, QUESTIONNAIRE)
    member = add_user(app, MEMBER)
    with app.app_context():
        database = get_db()
        people.set_membership(database, member, org, "member")
        expires = (accounts.utcnow() + timedelta(days=1)).replace(microsecond=0).isoformat()
        admin = people.get_user_by_email(database, ADMIN[0])
        assert admin is not None
        tokens = []
        for email in ("invited@example.com", MEMBER):
            token = accounts.new_token()
            people.create_invitation(database, accounts.token_digest(token), email, org, "member", admin.id, expires)
            tokens.append(token)
    workshop = client.post(f"/orgs/{org}/assessments/{assessment}/workshops/new", data={"clauses": ["4.2"]})
    workshop_id = int(workshop.headers["Location"].split("/")[-1])
    with app.app_context():
        code = workshop_store.get_workshop(get_db(), org, workshop_id).code
    question = page_questions()[0]
    client.post(f"/orgs/{org}/assessments/{assessment}/answers/{question}", data={f"value:{question}": "0"})
    action = client.post(f"/orgs/{org}/assessments/{assessment}/gaps/{question}/action", data={"what": "Fix it"})
    action_id = int(action.headers["Location"].split("/")[-2])
    return World(org, assessment, tuple(tokens), workshop_id, code, action_id)


def check_post(app, browser, path: str, body: bytes, content_type: str, ignore: tuple[str, ...] = ()) -> None:
    """Post; assert the answer is not a 5xx, and that a 4xx changed nothing in the database.

    The one exception is a 409 from an answering page: the answers without a conflict are saved
    (nothing typed is lost), the conflicting ones are not, and the page shows them.
    """
    before = snapshot(app, ignore)
    response = browser.post(path, data=body, content_type=content_type)
    status = response.status_code
    assert status < 500, response.get_data(as_text=True)[:2000]
    assert 200 <= status < 500
    if status == 409 and "/pages/" in path:
        assert "changed" in response.get_data(as_text=True)
    elif status >= 400:
        assert snapshot(app, ignore) == before


# --- the tests ------------------------------------------------------------------------------------


def test_every_form_endpoint_is_fuzzed(app):
    posts = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    fuzzed = set(FORMS) | {"organizations.import_file"}  # the import has its own test below
    unlisted = {e for e in posts if not e.startswith(NOT_YET_FUZZED)} - fuzzed - NO_INPUT
    assert unlisted == set(), "add an entry to FORMS (or NO_INPUT) in tests/test_fuzz.py"
    assert fuzzed | NO_INPUT <= posts


@pytest.mark.parametrize("endpoint", sorted(FORMS))
@FUZZ
@given(data=st.data())
def test_form_posts_never_fail_and_refusals_change_nothing(app, client, anonymous, world, endpoint, data):
    spec = FORMS[endpoint]
    path = data.draw(spec.path(world), label="path")
    body, content_type = data.draw(encoded_body(spec.fields(world)), label="body")
    check_post(app, anonymous if spec.anonymous else client, path, body, content_type, spec.changes_on_refusal)


# --- the import -----------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        FUZZ_TEXT,
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(FUZZ_TEXT, inner, max_size=4)),
    max_leaves=12,
)


@cache
def example_document() -> dict[str, Any]:
    return json.loads(dump_exchange(example_organization(bank(), QUESTIONNAIRE, "partial")))


@st.composite
def mutated_exchange(draw) -> Any:
    """Return the valid example exchange file with one part replaced, removed or added to."""
    document = copy.deepcopy(example_document())
    parent: Any = None
    key: Any = None
    node: Any = document
    for _ in range(draw(st.integers(0, 5))):
        if isinstance(node, dict) and node:
            parent, key = node, draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            parent, key = node, draw(st.integers(0, len(node) - 1))
        else:
            break
        node = parent[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if parent is None:
        return draw(JSON_VALUES) if action == "replace" else document
    if action == "replace":
        parent[key] = draw(JSON_VALUES)
    elif action == "remove":
        del parent[key]
    elif isinstance(parent, dict):
        parent[draw(FUZZ_TEXT)] = draw(JSON_VALUES)
    else:
        parent.append(draw(JSON_VALUES))
    return document


def to_json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")


IMPORT_CONTENT = st.one_of(
    mutated_exchange().map(to_json_bytes),
    JSON_VALUES.map(to_json_bytes),
    st.binary(max_size=300),
    st.builds(lambda n: b'{"format": "assess/1", "name": "' + b"x" * n + b'"}', st.integers(0, 3_000_000)),
)


def with_lone_surrogates() -> bytes:
    document = copy.deepcopy(example_document())
    document["organization"]["name"] = "Acme \ud800"
    return to_json_bytes(document)


@FUZZ
@given(content=IMPORT_CONTENT, filename=FUZZ_TEXT, as_file=st.booleans())
@example(content=b'{"format": "assess/1", "\xed\xa0\x80": null}', filename="x.json", as_file=True)
@example(content=with_lone_surrogates(), filename="x.json", as_file=True)
def test_import_never_fails_and_a_refused_file_changes_nothing(app, client, content, filename, as_file):
    boundary = b"fuzz" + secrets.token_hex(8).encode()
    if as_file:
        body = multipart([], boundary, {as_bytes(filename): content})
    else:  # the file's content as a plain field: the wrong type
        body = multipart([(b"file", content)], boundary)
    before = snapshot(app)
    response = client.post("/orgs/import", data=body, content_type=f"multipart/form-data; boundary={boundary.decode()}")
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    after = snapshot(app)
    if response.status_code >= 400:
        assert after == before
    else:
        assert response.status_code == 302
        assert len(after["organizations"]) == len(before["organizations"]) + 1


# --- ids in URLs ----------------------------------------------------------------------------------

URL_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=2**70).map(str),
    st.sampled_from([str(2**63 - 1), str(2**63), str(2**64), "0", "00000000000000000000001", "9" * 4301]),
    st.text("0123456789", min_size=1, max_size=400),
)


def rules_with_ids(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and "int" in str(r.rule)), key=lambda r: r.rule
    )


@FUZZ
@given(data=st.data())
def test_any_number_in_a_url_is_never_a_500(app, client, world, data):
    """Every GET route with an id, for the administrator (who may see everything): a number SQLite cannot
    hold, a foreign one, a huge one is a 404 (or a redirect), never a 500."""
    rule = data.draw(st.sampled_from(rules_with_ids(app)), label="rule")
    values = {
        "org_id": world.org,
        "assessment_id": world.assessment,
        "workshop_id": world.workshop,
        "action_id": world.action,
        "user_id": 1,
        "key": PAGE,
        "question_id": page_questions()[0],
        "document": "complaints-procedure",
        "code": world.code,
        "token": "no-such-token",
    }
    path = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        if "Integer" in converter or "RowId" in converter:
            value = data.draw(URL_NUMBERS, label=name)
        else:  # a part that is not an id: a plausible value (one a route added later may not know: a 404)
            value = values.get(name, "no-such-part")
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    path = path.replace("<any(enable, disable):change>", "disable").replace("<any(hide, show):names>", "hide")
    response = client.get(path)
    assert response.status_code < 500, (path[:200], response.get_data(as_text=True)[:500])


# --- number facts ---------------------------------------------------------------------------------

NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(["1e308", "1e309", "-0", "0.0000001", "1e-400", "inf", "nan", "12", "120", "121", "9" * 400]),
    st.text("0123456789.eE+-", min_size=1, max_size=30),
)


@FUZZ
@given(data=st.data())
def test_any_number_fact_is_refused_or_stored_and_documents_still_render(app, client, world, data):
    """A number typed into any number fact is refused with a 4xx that changes nothing, or stored within
    the fact's bounds; either way every document page, .docx and the zip still answer."""
    numbers = [f for f in bank().profile.facts if f.type == "number"]
    form = {fact_field_name(f): data.draw(st.one_of(st.just(""), NUMBER_TEXT), label=f.id) for f in numbers}
    before = snapshot(app)
    response = client.post(f"/orgs/{world.org}/profile", data=form)
    assert response.status_code in (302, 400), response.get_data(as_text=True)[:1000]
    if response.status_code == 400:
        assert snapshot(app) == before
    with app.app_context():
        from assess.store import organizations as org_store

        stored = org_store.get_profile(get_db(), world.org)
    for fact in numbers:
        if fact.id in stored:
            low, high = fact.bounds
            assert low <= stored[fact.id] <= high
    for path in ("", "/complaints-procedure", "/code-of-conduct.docx", "/all.zip"):
        page = client.get(f"/orgs/{world.org}/documents{path}")
        assert page.status_code == 200, (path, page.get_data(as_text=True)[:500])


@FUZZ
@given(value=st.one_of(JSON_VALUES, st.integers(), st.floats()))
def test_any_json_value_of_a_number_fact_is_refused_or_within_bounds(value):
    from assess.formats.exchange import ExchangeError, read_exchange

    document = copy.deepcopy(example_document())
    document["organization"]["profile"]["review.cycle_months"] = value
    try:
        org = read_exchange(document, bank())
    except ExchangeError as refused:
        assert all(isinstance(p, str) for p in refused.problems)
        return
    fact = bank().profile.fact("review.cycle_months")
    stored = org.profile.get("review.cycle_months")
    assert stored is None or fact.bounds[0] <= stored <= fact.bounds[1]


# --- workbook structure ---------------------------------------------------------------------------


@cache
def blank_workbook_bytes() -> bytes:
    from assess.core.answers import Assessment
    from assess.formats.workbook import assessment_workbook

    return assessment_workbook(questionnaire(), Assessment(QUESTIONNAIRE, "Offline"), org_name="Fuzz Water")


CELL_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=60),
    st.sampled_from(["=1+1", "=SUM(A1:A9)", "N/A", "Don't know", "4", "10002-4.2-a", "Question ID"]),
    st.datetimes(),
)


@st.composite
def edited_workbook(draw) -> bytes:
    """The exported workbook with its structure changed as a person or a program might: cells of any
    type anywhere, rows or sheets deleted, sheets renamed, added or turned into chart sheets."""
    import io

    import openpyxl
    from openpyxl.chart import BarChart

    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook_bytes()))
    for _ in range(draw(st.integers(1, 6))):
        sheet = wb[draw(st.sampled_from(wb.sheetnames))]
        action = draw(
            st.sampled_from(["cell", "cell", "cell", "delete rows", "delete sheet", "rename", "add", "chart"])
        )
        if action == "cell" and hasattr(sheet, "cell"):
            row, column = draw(st.integers(1, 200)), draw(st.integers(1, 14))
            try:
                sheet.cell(row=row, column=column).value = draw(CELL_VALUES)
            except (ValueError, TypeError):  # openpyxl refuses some values itself
                pass
        elif action == "delete rows" and hasattr(sheet, "delete_rows"):
            sheet.delete_rows(draw(st.integers(1, 150)), draw(st.integers(1, 20)))
        elif action == "delete sheet" and len(wb.sheetnames) > 1:
            wb.remove(sheet)
        elif action == "rename":
            sheet.title = draw(st.sampled_from(["About", "Answers", "answers", "Sheet", "Gaps2"])) + draw(
                st.sampled_from(["", "1"])
            )
        elif action == "add":
            wb.create_sheet(draw(st.sampled_from(["About", "Answers", "Extra"])))
        elif action == "chart":
            wb.create_chartsheet(draw(st.sampled_from(["About", "Answers", "Chart"]))).add_chart(BarChart())
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged_package(draw) -> bytes:
    """The exported workbook's zip with a part dropped, truncated, replaced by random bytes, or the
    whole file cut short or with bytes flipped."""
    import io
    import zipfile

    data = blank_workbook_bytes()
    how = draw(st.sampled_from(["drop", "truncate part", "random part", "cut", "flip"]))
    if how == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if how == "flip":
        at = draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=20))
        damaged = bytearray(data)
        for i in at:
            damaged[i] ^= draw(st.integers(1, 255))
        return bytes(damaged)
    source = zipfile.ZipFile(io.BytesIO(data))
    victim = draw(st.sampled_from(source.namelist()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == victim:
                if how == "drop":
                    continue
                content = (
                    content[: draw(st.integers(0, len(content)))]
                    if how == "truncate part"
                    else draw(st.binary(max_size=500))
                )
            target.writestr(name, content)
    return buffer.getvalue()


@FUZZ
@given(data=st.one_of(edited_workbook(), damaged_package()))
def test_any_workbook_structure_is_read_or_refused_with_problems(data):
    from assess.formats.workbook import WorkbookError, read_answers_workbook, read_workbook_about

    for read in (lambda: read_workbook_about(data), lambda: read_answers_workbook(data, questionnaire())):
        try:
            read()
        except WorkbookError as refused:
            assert refused.problems and all(isinstance(p, str) and p for p in refused.problems)
            assert len(refused.problems) <= 51
            "\n".join(refused.problems).encode("utf-8")


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(edited_workbook(), damaged_package()))
def test_any_workbook_upload_is_a_success_or_a_4xx_that_changes_nothing(app, client, world, data):
    boundary = b"fuzz" + secrets.token_hex(8).encode()
    body = multipart([], boundary, {b"answers.xlsx": data})
    check_post(
        app,
        client,
        f"/orgs/{world.org}/assessments/{world.assessment}/workbook",
        body,
        f"multipart/form-data; boundary={boundary.decode()}",
    )
