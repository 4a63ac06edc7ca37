"""The base of assess's input errors: each carries every problem found, not just the first."""

from __future__ import annotations


class ProblemsFound(Exception):
    """Input that was refused whole; `problems` holds one message per problem, each naming where it is
    (a questionnaire's field path, an exchange file's JSON path, a workbook's cell)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems
