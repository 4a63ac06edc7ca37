import os

import pytest
from bs4 import BeautifulSoup

from assess.formats.questionnaires import load_bank

ADMIN = ("admin@example.com", "correct horse battery staple")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def bank():
    return load_bank()


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def make_app(instance, **config):
    from assess import create_app

    settings = {"TESTING": True, "INSTANCE": instance, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}
    settings.update(config)
    return create_app(settings)


def add_user(app, email, password=PASSWORD, *, admin=False, creator=False):
    from assess.core import accounts
    from assess.store import people
    from assess.web.database import get_db

    with app.app_context():
        return people.create_user(get_db(), email, accounts.hash_password(password), is_admin=admin, can_create=creator)


def csrf_token_of(client, path):
    tag = soup(client.get(path)).select_one("input[name=csrf_token]")
    return tag["value"] if tag else None


def log_in(client, email, password=PASSWORD):
    data = {"email": email, "password": password}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_token_of(client, "/login")
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def answer(client, org_id, aid, qid, value):
    """Answer one question of an assessment through the web app."""
    response = client.post(f"/orgs/{org_id}/assessments/{aid}/answers/{qid}", data={f"value:{qid}": str(value)})
    assert response.status_code == 200, response.get_data(as_text=True)


def actions_of(app, org_id):
    """The organization's stored actions, oldest first."""
    from assess.store import actions as action_store
    from assess.web.database import get_db

    with app.app_context():
        return action_store.list_actions(get_db(), org_id)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    add_user(app, ADMIN[0], ADMIN[1], admin=True)
    return app


@pytest.fixture
def client(app):
    """A browser logged in as the administrator."""
    return log_in(app.test_client(), *ADMIN)


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    add_user(app, ADMIN[0], ADMIN[1], admin=True)
    return app


@pytest.fixture
def csrf_client(csrf_app):
    return log_in(csrf_app.test_client(), *ADMIN)


class Site:
    """Small helper to create organizations and assessments through the web app."""

    def __init__(self, client):
        self.client = client

    def org(self, name="Acme Water"):
        response = self.client.post("/orgs/new", data={"name": name})
        assert response.status_code == 302
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def assessment(self, org_id, questionnaire="iso10002-2018", title="Baseline 2026", target=3):
        response = self.client.post(
            f"/orgs/{org_id}/assessments/new",
            data={"questionnaire": questionnaire, "title": title, "target": str(target)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def org_csrf(self, name="Acme Water"):
        token = csrf_token_of(self.client, "/orgs/new")
        response = self.client.post("/orgs/new", data={"name": name, "csrf_token": token})
        assert response.status_code == 302
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def assessment_csrf(self, org_id, questionnaire="iso10002-2018"):
        token = csrf_token_of(self.client, f"/orgs/{org_id}/assessments/new")
        response = self.client.post(
            f"/orgs/{org_id}/assessments/new",
            data={"questionnaire": questionnaire, "title": "Baseline", "target": "3", "csrf_token": token},
        )
        assert response.status_code == 302
        return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def site(client):
    return Site(client)
