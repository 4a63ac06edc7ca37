"""`questionnaires/retired.yaml`: question ids no longer asked, with what replaced them.

    iso10002-2018:
      - id: "10002-4.3-b"
        replaced_by: ["10002-7.3-c"]   # the first one takes an imported answer; [] for none
        why: "Merged with 10002-7.3-c, ..."

An exchange file or a workbook that still uses a retired id has its answer moved to the
replacement, or is refused with the id named when there is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from assess.core.questionnaire import Questionnaire, Retired

RETIRED_FILE = "retired.yaml"


def _problem(path: Path, where: str, message: str) -> str:
    return f"{path.name}: {where}: {message}" if where else f"{path.name}: {message}"


def load_retired(
    folders: Iterable[Path], questionnaires: Mapping[str, Questionnaire]
) -> tuple[dict[str, Retired], list[str]]:
    """Return the retired ids of every `retired.yaml` in the folders and the problems found in them."""
    retired: dict[str, Retired] = {}
    problems: list[str] = []
    current = {q.id: questionnaire.id for questionnaire in questionnaires.values() for q in questionnaire.questions}
    for folder in folders:
        path = Path(folder) / RETIRED_FILE
        if not path.exists():
            continue
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(_problem(path, "", f"cannot be read: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(_problem(path, "", "must map questionnaire ids to lists of retired questions"))
            continue
        for questionnaire_id, entries in data.items():
            if not isinstance(entries, list):
                problems.append(_problem(path, str(questionnaire_id), "must be a list"))
                continue
            for i, entry in enumerate(entries):
                where = f"{questionnaire_id}[{i}]"
                if not isinstance(entry, dict) or set(entry) - {"id", "replaced_by", "why"} or "id" not in entry:
                    problems.append(_problem(path, where, "must have id, replaced_by and why (and nothing else)"))
                    continue
                qid, replaced_by, why = entry["id"], entry.get("replaced_by", []), entry.get("why", "")
                if not isinstance(qid, str) or qid in current:
                    problems.append(_problem(path, f"{where}.id", f"{qid!r} is still a question (or not an id)"))
                    continue
                if not isinstance(replaced_by, list) or not all(isinstance(r, str) for r in replaced_by):
                    problems.append(_problem(path, f"{where}.replaced_by", "must be a list of question ids"))
                    continue
                for r in replaced_by:
                    if current.get(r) != questionnaire_id:
                        problems.append(
                            _problem(path, f"{where}.replaced_by", f"{r!r} is not a question of {questionnaire_id}")
                        )
                if not isinstance(why, str) or not why.strip():
                    problems.append(_problem(path, f"{where}.why", "must say in words why the id was retired"))
                if qid in retired:
                    problems.append(_problem(path, f"{where}.id", f"{qid!r} is listed twice"))
                retired[qid] = Retired(qid, str(questionnaire_id), tuple(replaced_by), str(why).strip())
    return retired, problems
