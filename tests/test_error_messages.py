"""What the app tells a person when a save fails is true of the page they then see."""

from __future__ import annotations

from tests.conftest import Site, soup
from tests.test_bad_days import database


def test_a_form_post_on_a_full_disk_does_not_claim_the_typing_is_still_on_the_page(app, client):
    site = Site(client)
    org = site.org()
    assessment = site.assessment(org)
    qid = "10002-4.2-a"
    url = f"/orgs/{org}/assessments/{assessment}/answers/{qid}"
    with database(app, "max_page_count"):
        page = client.post(url, data={f"value:{qid}": "3", f"note:{qid}": "x" * 4000})
    text = " ".join(soup(page).text.split())
    assert page.status_code == 503 and "Nothing was saved by this request." in text
    assert "still on the page" not in text  # this error page has no form: the typing is not on it
