"""The address people are given: the public URL setting, what the server prints at start, twin-free import names."""

import datetime as dt

import pytest

from assess.cli.serving import start_message
from assess.core.settings import ConfigurationError, Settings, normalize_public_url
from assess.core.vocabulary import clock, when
from assess.services.organizations import twin_free_name


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("", ""),
        ("http://192.168.1.20:5000/", "http://192.168.1.20:5000"),
        ("https://assess.example.org/assess/", "https://assess.example.org/assess"),
    ],
)
def test_public_urls_are_normalized(raw, expected):
    assert normalize_public_url(raw) == expected


@pytest.mark.parametrize("raw", ["192.168.1.20:5000", "ftp://x.org", "http://", "http://x.org/?a=1", "http://x:port"])
def test_a_public_url_that_is_no_web_address_is_refused_in_one_sentence(raw):
    with pytest.raises(ConfigurationError, match="is not an address like"):
        normalize_public_url(raw)


def test_production_needs_a_public_url_or_trusted_hosts(tmp_path):
    bare = Settings(instance=tmp_path, production=True)
    with pytest.raises(ConfigurationError) as refused:
        bare.with_public_address()
    assert str(refused.value).startswith("In production set ASSESS_PUBLIC_URL") and "\n" not in str(refused.value)
    hosts_only = Settings(instance=tmp_path, production=True, trusted_hosts=("a.org",)).with_public_address()
    assert (hosts_only.public_url, hosts_only.trusted_hosts) == ("", ("a.org",))
    assert Settings(instance=tmp_path).with_public_address().public_url == ""


def test_the_start_message_gives_the_address_for_people_and_says_when_only_this_machine_can_open_it():
    local = start_message("127.0.0.1", 5000, "", "/data")
    assert local[0] == "assess is running on http://127.0.0.1:5000/  (data: /data)"
    assert "Only this machine can open it" in local[1] and "--host 0.0.0.0" in local[1]
    room = start_message("0.0.0.0", 5000, "http://10.1.2.3:5000", "/data")
    assert room[-1] == "Give people this address (join links, QR codes and invitations use it): http://10.1.2.3:5000/"


def test_an_imported_twin_gets_the_import_date_and_never_the_same_name():
    today = dt.date(2026, 11, 26)
    assert twin_free_name("Acme", ["Other"], today) == "Acme"
    assert twin_free_name("Acme", ["acme"], today) == "Acme (imported 2026-11-26)"
    assert twin_free_name("Acme", ["Acme", "Acme (imported 2026-11-26)"], today) == "Acme (imported 2026-11-26 2)"
    long = "x" * 200
    assert len(twin_free_name(long, [long], today)) == 200


def test_saved_times_are_shown_in_utc_whatever_zone_they_were_stored_with():
    assert when("2026-11-26T14:05:09+00:00") == "2026-11-26 14:05 UTC"
    assert when("2026-11-26T15:05:09+01:00") == "2026-11-26 14:05 UTC"
    assert clock("2026-11-26T14:05:09+00:00") == "14:05 UTC"
    assert when(None) == "\u2013"
