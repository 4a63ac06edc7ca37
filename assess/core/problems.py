"""The base of assess's input errors: each carries the problems found, not just the first.

A refusal lists at most `MAX_LISTED` problems and then says how many more there are: a file with a
million bad rows is refused with a page a person can read, and reading it keeps only that many
messages in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

MAX_LISTED = 50
"""The most problems a refusal lists one by one; the rest are counted."""


class ProblemList:
    """Problems found so far: the first `MAX_LISTED` kept as messages, the others only counted.

    `len()` is the number found, listed or not, so a reader can compare counts before and after a step.
    """

    def __init__(self, problems: Iterable[str] = ()):
        self._listed: list[str] = []
        self.unlisted = 0
        self.extend(problems)

    def append(self, message: str) -> None:
        if len(self._listed) < MAX_LISTED:
            self._listed.append(message)
        else:
            self.unlisted += 1

    def extend(self, messages: Iterable[str]) -> None:
        for message in messages:
            self.append(message)

    def __len__(self) -> int:
        return len(self._listed) + self.unlisted

    def __iter__(self) -> Iterator[str]:
        return iter(self._listed)

    def messages(self) -> list[str]:
        """Return the listed problems, then one line counting those not listed."""
        if not self.unlisted:
            return list(self._listed)
        more = f"{self.unlisted} more problem{'s' if self.unlisted != 1 else ''}"
        return [*self._listed, f"... and {more} not listed here: fix these first, then try again"]


class ProblemsFound(Exception):
    """Input that was refused whole; `problems` holds one message per problem, each naming where it is
    (a questionnaire's field path, an exchange file's JSON path, a workbook's cell), at most
    `MAX_LISTED` of them followed by a count of the rest."""

    def __init__(self, problems: Iterable[str]):
        listed = problems if isinstance(problems, ProblemList) else ProblemList(problems)
        self.problems = listed.messages()
        super().__init__("\n".join(self.problems))
