import os

import pytest
from bs4 import BeautifulSoup

from assess.questionnaire import load_bank


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def app(tmp_path):
    from assess import create_app

    return create_app(
        {"TESTING": True, "INSTANCE": tmp_path, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_client(tmp_path):
    from assess import create_app

    app = create_app({"TESTING": True, "INSTANCE": tmp_path / "csrf", "SECRET_KEY": "test"})
    return app.test_client()


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


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


@pytest.fixture
def site(client):
    return Site(client)
