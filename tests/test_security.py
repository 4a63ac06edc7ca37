"""Accounts, roles and the security baseline (OWASP ASVS 5.0 L1/L2 checks from reliability.md)."""

import hashlib
import re

import pytest

from assess import create_app
from assess.core import accounts
from assess.core.settings import ConfigurationError
from assess.store import actions as action_store
from assess.store import answers as answer_store
from assess.store import connection, people
from assess.store import organizations as org_store
from assess.web.database import get_db
from assess.web.views.auth import ACCESS_LEVELS as LEVELS
from assess.web.views.auth import ORG_LEVELS
from tests.conftest import ADMIN, PASSWORD, Site, add_user, log_in, make_app, soup

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url_for_rule(rule, values):
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(values[name]), path)
    return path


@pytest.fixture
def world(app, client):
    """Organization A (with an assessment and answers) and B, with people in every role of each."""
    site = Site(client)
    a = site.org("Alpha Secret Org")
    a_assessment = site.assessment(a)
    client.post(
        f"/orgs/{a}/assessments/{a_assessment}/answers/10002-4.2-a",
        data={"value:10002-4.2-a": "3", "note:10002-4.2-a": "alpha-only note"},
    )
    assert client.post(f"/orgs/{a}/assessments/{a_assessment}/workshops/new", data={}).status_code == 302
    client.post(f"/orgs/{a}/assessments/{a_assessment}/answers/10002-4.2-b", data={"value:10002-4.2-b": "1"})
    assert client.post(f"/orgs/{a}/assessments/{a_assessment}/gaps/10002-4.2-b/action", data={}).status_code == 302
    b = site.org("Beta Org")
    b_assessment = site.assessment(b)
    emails = {}
    for org_name, org_id in (("a", a), ("b", b)):
        for role in ORG_LEVELS:
            email = f"{role}-{org_name}@example.com"
            user_id = add_user(app, email)
            with app.app_context():
                people.set_membership(get_db(), user_id, org_id, role)
            emails[(org_name, role)] = email
    return {"a": a, "a_assessment": a_assessment, "b": b, "b_assessment": b_assessment, "people": emails}


def values_for(world, org="a"):
    return {
        "org_id": world[org],
        "assessment_id": world[f"{org}_assessment"],
        "key": "4.2",
        "question_id": "10002-4.2-a",
        "document": "complaints-procedure",
        "user_id": 1,
        "token": "no-such-token",
        "change": "disable",
        "filename": "css/app.css",
        "code": "NOSUCHCODE",
        "workshop_id": 1,
        "names": "hide",
        "action_id": 1,
        "participant_id": 1,
        "section": "organization",
        "number": 1,
    }


def test_every_route_declares_its_access_level(app):
    unclassified = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "access", None) not in LEVELS
    ]
    assert unclassified == []


def test_anonymous_gets_nothing_but_public_routes(app, anonymous, world):
    for rule in app.url_map.iter_rules():
        level = app.view_functions[rule.endpoint].access
        if level == "public":
            continue
        path = url_for_rule(rule, values_for(world))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = anonymous.open(path, method=method)
            allowed = (404,) if level == "participant" else (302, 401)
            assert response.status_code in allowed, (method, path, response.status_code)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]
            assert "Alpha Secret Org" not in response.get_data(as_text=True)


def org_rules(app):
    return [r for r in app.url_map.iter_rules() if app.view_functions[r.endpoint].access in ORG_LEVELS]


def test_every_role_of_another_organization_gets_404(app, world):
    """The cross-organization matrix: B's viewer, member and consultant try every route of A."""
    rules = org_rules(app)
    assert len(rules) > 20
    for role in ORG_LEVELS:
        client = log_in(app.test_client(), world["people"][("b", role)])
        for rule in rules:
            path = url_for_rule(rule, values_for(world, "a"))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, data={"name": "hijacked", "title": "hijacked"})
                assert response.status_code == 404, (role, method, path, response.status_code)
                body = response.get_data(as_text=True)
                assert "Alpha Secret Org" not in body and "alpha-only note" not in body
    with app.app_context():
        database = get_db()
        assert org_store.get_organization(database, world["a"]).name == "Alpha Secret Org"
        assert answer_store.get_answers(database, world["a_assessment"])["10002-4.2-a"].note == "alpha-only note"
        assert len(answer_store.list_assessments(database, world["a"])) == 1
        assert [(a.question_id, a.status) for a in action_store.list_actions(database, world["a"])] == [
            ("10002-4.2-b", "open")
        ]


def test_mixed_ids_give_404(client, world):
    """A's organization id with B's assessment id."""
    response = client.get(f"/orgs/{world['a']}/assessments/{world['b_assessment']}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role,allowed",
    [
        (
            "viewer",
            {
                "organizations.overview",
                "assessments.results",
                "assessments.chart",
                "compare.page",
                "compare.chart",
                "actions.index",
                "documents.index",
                "documents.preview",
                "documents.download",
                "documents.download_all",
            },
        ),
        ("member", None),
        ("consultant", None),
    ],
)
def test_roles_reach_exactly_what_they_should(app, world, role, allowed):
    client = log_in(app.test_client(), world["people"][("a", role)])
    for rule in org_rules(app):
        needed = app.view_functions[rule.endpoint].access
        if "GET" not in rule.methods:
            continue
        path = url_for_rule(rule, values_for(world, "a"))
        status = client.get(path).status_code
        should = accounts.RANK[role] >= accounts.RANK[needed]
        if allowed is not None:
            assert should == (rule.endpoint in allowed), rule.endpoint
        assert (status != 404) == should, (role, path, status)


def test_organization_list_shows_only_own_organizations(app, world):
    client = log_in(app.test_client(), world["people"][("b", "member")])
    text = client.get("/orgs").get_data(as_text=True)
    assert "Beta Org" in text and "Alpha Secret Org" not in text


def test_only_creators_create_organizations(app, world):
    member = log_in(app.test_client(), world["people"][("a", "member")])
    assert member.post("/orgs/new", data={"name": "X"}).status_code == 403
    add_user(app, "consult@example.com", creator=True)
    consultant = log_in(app.test_client(), "consult@example.com")
    response = consultant.post("/orgs/new", data={"name": "Client Co"})
    assert response.status_code == 302
    org_id = int(response.headers["Location"].split("/")[-1])
    assert consultant.get(f"/orgs/{org_id}/people").status_code == 200  # creator is its consultant


def test_mass_assignment_is_ignored(client, app, world):
    response = client.post(
        f"/orgs/{world['a']}/assessments/new",
        data={"questionnaire": "iso10002-2018", "title": "T", "target": "3", "org_id": world["b"], "id": 999},
    )
    new_id = int(response.headers["Location"].split("/")[-1])
    with app.app_context():
        assert answer_store.get_assessment(get_db(), world["a"], new_id) is not None
        assert new_id != 999


# --- sessions ---


def test_logout_revokes_a_copied_cookie(app):
    first = log_in(app.test_client(), *ADMIN)
    cookie = first.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/orgs").status_code == 200
    first.post("/logout")
    assert thief.get("/orgs").status_code == 302


def test_password_change_ends_every_other_session(app):
    here = log_in(app.test_client(), *ADMIN)
    elsewhere = log_in(app.test_client(), *ADMIN)
    new_password = "a completely different passphrase"
    response = here.post("/account/password", data={"current": PASSWORD, "new": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert here.get("/orgs").status_code == 200
    assert elsewhere.get("/orgs").status_code == 302
    log_in(app.test_client(), ADMIN[0], new_password)


def test_password_change_with_wrong_current_keeps_sessions(app):
    here = log_in(app.test_client(), *ADMIN)
    elsewhere = log_in(app.test_client(), *ADMIN)
    response = here.post("/account/password", data={"current": "wrong", "new": "x" * 20, "confirm": "x" * 20})
    assert response.status_code == 400
    assert elsewhere.get("/orgs").status_code == 200


def test_removal_from_organization_takes_effect_on_the_next_request(app, client, world):
    member = log_in(app.test_client(), world["people"][("a", "member")])
    assert member.get(f"/orgs/{world['a']}").status_code == 200
    with app.app_context():
        user_id = people.get_user_by_email(get_db(), world["people"][("a", "member")]).id
    assert client.post(f"/orgs/{world['a']}/people/{user_id}/remove").status_code == 302
    assert member.get(f"/orgs/{world['a']}").status_code == 404


def test_disabling_an_account_ends_its_sessions(app, client, world):
    email = world["people"][("a", "member")]
    member = log_in(app.test_client(), email)
    with app.app_context():
        user_id = people.get_user_by_email(get_db(), email).id
    assert client.post(f"/admin/users/{user_id}/disable").status_code == 302
    assert member.get("/orgs").status_code == 302
    response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400


def test_login_starts_a_new_session(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["marker"] = "planted"
    log_in(client, *ADMIN)
    with client.session_transaction() as session:
        assert "marker" not in session
        assert "sid" in session


def test_idle_and_absolute_timeouts(app, monkeypatch):
    client = log_in(app.test_client(), *ADMIN)
    start = accounts.utcnow()
    monkeypatch.setattr(accounts, "utcnow", lambda: start + accounts.SESSION_IDLE / 2)
    assert client.get("/orgs").status_code == 200
    monkeypatch.setattr(accounts, "utcnow", lambda: start + accounts.SESSION_IDLE / 2 + accounts.SESSION_IDLE * 1.1)
    assert client.get("/orgs").status_code == 302
    client = log_in(app.test_client(), *ADMIN)
    monkeypatch.setattr(accounts, "utcnow", lambda: start + accounts.SESSION_ABSOLUTE * 1.01)
    assert client.get("/orgs").status_code == 302


def test_session_cookie_flags_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_HTTPS", "1")
    app = make_app(tmp_path)
    add_user(app, *ADMIN, admin=True)
    client = app.test_client()
    response = client.post("/login", data={"email": ADMIN[0], "password": ADMIN[1]}, base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- passwords and throttling ---


def test_password_hash_is_argon2id_with_asvs_parameters(app):
    with app.app_context():
        stored = people.get_user_by_email(get_db(), ADMIN[0]).password_hash
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    assert match, stored
    m, t, p = map(int, match.groups())
    assert (t >= 3 and m >= 12288) or (t == 2 and m >= 19456) or (t == 1 and m >= 47104)
    assert p == 1
    assert PASSWORD not in stored


def test_weaker_hash_is_upgraded_at_login(app):
    weak = accounts.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("old but long password")
    user_id = add_user(app, "legacy@example.com", "old but long password")
    with app.app_context():
        people.set_password_hash(get_db(), user_id, weak, end_sessions=False)
    log_in(app.test_client(), "legacy@example.com", "old but long password")
    with app.app_context():
        assert not accounts.needs_rehash(people.get_user(get_db(), user_id).password_hash)


@pytest.mark.parametrize(
    "password,ok",
    [
        ("short1", False),
        ("password1234", False),
        ("admin@example.com", False),
        ("x" * 257, False),
        ("plum orbit ladder seven", True),
        ("ü" * 3 + "long enough ünïcode passphrase", True),
        (hashlib.sha512(b"x").hexdigest(), True),  # 128 characters
    ],
)
def test_password_policy(password, ok):
    if ok:
        accounts.check_password_policy(password, ("admin@example.com",))
    else:
        with pytest.raises(accounts.PasswordProblem):
            accounts.check_password_policy(password, ("admin@example.com",))


def test_long_passwords_are_not_truncated(app):
    long = "w" * 80 + " differs at the end A"
    add_user(app, "long@example.com", long)
    log_in(app.test_client(), "long@example.com", long)
    response = app.test_client().post("/login", data={"email": "long@example.com", "password": long[:-1] + "B"})
    assert response.status_code == 400


def test_failed_logins_slow_that_client_down_across_app_instances(app, tmp_path):
    client = app.test_client()
    for _ in range(accounts.LOGIN_PER_CLIENT.free):
        assert client.post("/login", data={"email": ADMIN[0], "password": "wrong"}).status_code == 400
    other_instance = make_app(tmp_path).test_client()  # another worker on the same database file
    response = other_instance.post("/login", data={"email": ADMIN[0], "password": ADMIN[1]})
    assert response.status_code == 429
    assert "Too many failed attempts" in soup(response).text


def test_unknown_account_and_wrong_password_look_the_same(app):
    client = app.test_client()
    unknown = soup(client.post("/login", data={"email": "nobody@example.com", "password": "whatever"}))
    wrong = soup(client.post("/login", data={"email": ADMIN[0], "password": "whatever"}))
    assert unknown.select_one(".error-summary").text == wrong.select_one(".error-summary").text


def test_fifty_people_behind_one_address_all_log_in(app):
    for i in range(50):
        add_user(app, f"p{i}@example.com")
    for i in range(50):
        response = app.test_client().post(
            "/login",
            data={"email": f"p{i}@example.com", "password": PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        assert response.status_code == 302


def test_login_redirects_only_to_local_paths(app):
    cases = [
        ("/orgs/1", "/orgs/1"),
        ("/orgs/1/assessments/2?edition=previous", "/orgs/1/assessments/2?edition=previous"),
        ("//evil.example/x", "/orgs"),
        ("https://evil.example", "/orgs"),
        ("/%09/evil.example", "/orgs"),  # a tab, which browsers drop: //evil.example
        ("/%0d%0a/evil.example", "/orgs"),
        ("/%5C/evil.example", "/orgs"),  # a backslash, which browsers read as a slash
        ("/%2F/evil.example", "/orgs"),
        ("%20/evil.example", "/orgs"),
        ("/\u00e9vil", "/orgs"),
        ("javascript:alert(1)", "/orgs"),
    ]
    for target, expected in cases:
        response = app.test_client().post(f"/login?next={target}", data={"email": ADMIN[0], "password": ADMIN[1]})
        assert response.headers["Location"] == expected, target


# --- first run ---


def setup_code_of(app):
    from assess.services.accounts import setup_code

    with app.app_context():
        return setup_code(get_db())


def test_first_run_setup_needs_the_printed_code_wherever_the_request_comes_from(tmp_path, caplog):
    app = make_app(tmp_path)
    code = setup_code_of(app)
    assert code is not None and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert f"enter the setup code {code}" in caplog.text  # printed when the server started
    client = app.test_client()
    assert client.get("/login").headers["Location"].endswith("/setup")
    form = {"email": "first@example.com", "password": PASSWORD, "confirm": PASSWORD}
    # behind a same-host proxy every request looks local: the address decides nothing any more
    for address in ("127.0.0.1", "192.0.2.7"):
        for typed in ("", "AAAA-BBBB-CCCC", code[:-1]):
            response = client.post("/setup", data={**form, "code": typed}, environ_base={"REMOTE_ADDR": address})
            assert response.status_code == 400
            assert people.count_users(connection.connect(tmp_path / "assess.sqlite3")) == 0
    wrong = client.post("/setup", data={**form, "code": "AAAA-BBBB-CCCC"})
    assert "This is not the setup code" in soup(wrong).text
    response = client.post(
        "/setup", data={**form, "code": code.lower().replace("-", " ")}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert response.status_code == 302
    assert client.get("/orgs").status_code == 200
    assert app.test_client().get("/setup").status_code == 404
    assert setup_code_of(app) is None  # used up


def test_setup_code_command_prints_the_code_until_an_account_exists(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assess.cli import main

    monkeypatch.setenv("ASSESS_INSTANCE", str(tmp_path))
    first = CliRunner().invoke(main, ["setup-code"])
    assert first.exit_code == 0 and re.fullmatch(r"[A-Z2-9-]{14}\n", first.output)
    assert CliRunner().invoke(main, ["setup-code"]).output == first.output  # the same code until used
    renewed = CliRunner().invoke(main, ["setup-code", "--new"])
    assert renewed.exit_code == 0 and renewed.output != first.output
    app = make_app(tmp_path)
    assert setup_code_of(app) == renewed.output.strip()
    CliRunner().invoke(main, ["user", "add", "cli@example.com", "--admin"], input=PASSWORD + "\n")
    done = CliRunner().invoke(main, ["setup-code"])
    assert done.exit_code == 1 and "An account exists already" in done.output


def test_user_add_reads_password_from_stdin(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assess.cli import main

    monkeypatch.setenv("ASSESS_INSTANCE", str(tmp_path))
    result = CliRunner().invoke(main, ["user", "add", "cli@example.com", "--admin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    weak = CliRunner().invoke(main, ["user", "add", "weak@example.com"], input="short\n")
    assert weak.exit_code == 1
    database = connection.connect(tmp_path / "assess.sqlite3")
    assert people.get_user_by_email(database, "cli@example.com").is_admin == 1
    assert people.get_user_by_email(database, "weak@example.com") is None


# --- invitations ---


def test_invitation_creates_account_with_role(app, client, world):
    response = client.post(f"/orgs/{world['a']}/people", data={"email": "new@example.com", "role": "viewer"})
    link = soup(response).select_one("#invite code").text
    path = link.split("localhost", 1)[1]
    invitee = app.test_client()
    assert "Alpha Secret Org" in invitee.get(path).get_data(as_text=True)
    done = invitee.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302
    assert invitee.get(f"/orgs/{world['a']}").status_code == 200
    assert invitee.get(f"/orgs/{world['a']}/profile").status_code == 404  # viewer
    assert app.test_client().get(path).status_code == 404  # used up


# --- configuration ---


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_PRODUCTION", "1")
    monkeypatch.delenv("ASSESS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="No SECRET_KEY"):
        create_app({"INSTANCE": tmp_path})
    monkeypatch.setenv("ASSESS_SECRET_KEY", "dev")
    with pytest.raises(ConfigurationError, match="too weak"):
        create_app({"INSTANCE": tmp_path})
    monkeypatch.setenv("ASSESS_SECRET_KEY", "k" * 40)  # long enough, but no randomness in it
    with pytest.raises(ConfigurationError, match="too weak"):
        create_app({"INSTANCE": tmp_path})
    key = "8c1f6a2e94b3d7f05e6a1c9b2d4f7e3a0b5c8d1e6f2a9b4c"
    monkeypatch.setenv("ASSESS_SECRET_KEY", key)
    monkeypatch.delenv("ASSESS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("ASSESS_TRUSTED_HOSTS", raising=False)
    with pytest.raises(ConfigurationError, match="set ASSESS_PUBLIC_URL"):
        create_app({"INSTANCE": tmp_path})
    monkeypatch.setenv("ASSESS_PUBLIC_URL", "https://assess.example.org/")
    assert create_app({"INSTANCE": tmp_path}).config["SECRET_KEY"] == key
    monkeypatch.setenv("ASSESS_PUBLIC_URL", "assess.example.org")
    with pytest.raises(ConfigurationError, match="is not an address"):
        create_app({"INSTANCE": tmp_path})
    monkeypatch.delenv("ASSESS_PUBLIC_URL")
    monkeypatch.setenv("ASSESS_TRUSTED_HOSTS", "assess.example.org")
    assert create_app({"INSTANCE": tmp_path}).config["SECRET_KEY"] == key


def test_two_workers_with_the_same_instance_accept_each_others_sessions(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESS_SECRET_KEY", raising=False)
    one = create_app({"INSTANCE": tmp_path, "TESTING": True, "WTF_CSRF_ENABLED": False})
    add_user(one, *ADMIN, admin=True)
    client = log_in(one.test_client(), *ADMIN)
    two = create_app({"INSTANCE": tmp_path, "TESTING": True}).test_client()
    two.set_cookie("session", client.get_cookie("session").value)
    assert two.get("/orgs").status_code == 200


# --- CSRF, headers, output encoding ---


def test_every_state_changing_route_rejects_a_missing_csrf_token(csrf_app, csrf_client):
    site = Site(csrf_client)
    org = site.org_csrf()
    assessment = site.assessment_csrf(org)
    values = {
        "org_id": org,
        "assessment_id": assessment,
        "key": "4.2",
        "question_id": "10002-4.2-a",
        "document": "complaints-procedure",
        "user_id": 1,
        "token": "x",
        "change": "disable",
        "filename": "x",
        "code": "NOSUCHCODE",
        "workshop_id": 1,
        "names": "hide",
        "action_id": 1,
        "participant_id": 1,
        "section": "organization",
        "number": 1,
    }
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        response = csrf_client.post(url_for_rule(rule, values), data={"name": "x"})
        assert response.status_code in (400, 404), (rule.rule, response.status_code)
        checked += 1
    assert checked >= 12
    anonymous = csrf_app.test_client()
    assert anonymous.post("/login", data={"email": ADMIN[0], "password": ADMIN[1]}).status_code == 400


def test_get_never_changes_anything(client, app, world):
    before = _row_counts(app)
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            client.get(url_for_rule(rule, values_for(world))).close()
    assert _row_counts(app) == before


def _row_counts(app):
    with app.app_context():
        database = get_db()
        return {
            t: database.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("organizations", "assessments", "answers", "memberships", "users", "invitations", "actions")
        }


@pytest.mark.parametrize("path", ["/orgs", "/orgs/999", "/static/css/app.css", "/login", "/csrf-token"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "base-uri", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client, world):
    for path in (
        f"/orgs/{world['a']}",
        f"/orgs/{world['a']}/assessments/{world['a_assessment']}",
        f"/orgs/{world['a']}/assessments/{world['a_assessment']}/pages/4.2",
        f"/orgs/{world['a']}/assessments/{world['a_assessment']}/results",
    ):
        page = soup(client.get(path))
        assert all(s.get("src") for s in page.find_all("script")), path
        assert not page.find_all(style=True), path
        assert not page.find_all("style"), path


def test_text_fields_are_rendered_inert(client, app):
    site = Site(client)
    org_id = site.org(XSS)
    aid = site.assessment(org_id)
    client.post(
        f"/orgs/{org_id}/assessments/{aid}/answers/10002-4.2-a",
        data={"value:10002-4.2-a": "1", "note:10002-4.2-a": XSS},
    )
    client.post(f"/orgs/{org_id}/profile", data={"org__legal_name": XSS})
    for path in (
        f"/orgs/{org_id}",
        f"/orgs/{org_id}/assessments/{aid}/check",
        f"/orgs/{org_id}/profile",
        f"/orgs/{org_id}/documents/complaints-procedure",
        "/orgs",
    ):
        page = soup(client.get(path))
        assert not page.select("script:not([src])"), path
        assert not page.select("img[onerror]"), path
        assert '<script>alert("x")</script>' in page.text or path.endswith("procedure"), path


def test_a_new_password_on_an_invitation_for_an_existing_email_is_a_form_error_not_500(app, client, world):
    response = client.post(f"/orgs/{world['a']}/people", data={"email": "late@example.com", "role": "viewer"})
    path = soup(response).select_one("#invite code").text.split("localhost", 1)[1]
    add_user(app, "late@example.com")  # the account appeared meanwhile
    accepted = app.test_client().post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert accepted.status_code == 400
    assert "An account with this email exists already: log in with it" in soup(accepted).text


def test_creating_a_duplicate_account_is_a_form_error(client):
    response = client.post("/admin/users", data={"email": ADMIN[0], "password": "fresh long passphrase here"})
    assert response.status_code == 400
    assert "exists already" in soup(response).select_one(".has-error .error").text


def test_trusted_hosts_refuse_a_forged_host_header(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_TRUSTED_HOSTS", "assess.formats.example.org, localhost")
    app = make_app(tmp_path)
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert app.test_client().get("/login", headers={"Host": "assess.formats.example.org"}).status_code in (200, 302)
