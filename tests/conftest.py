import pytest

from assess.questionnaire import load_bank


@pytest.fixture(scope="session")
def bank():
    return load_bank()
