"""Median time to score ~300 answers: the three questionnaires, every question answered."""

import statistics
import time

from assess.core.scoring import score_assessment
from assess.formats.questionnaires import load_bank


def main() -> None:
    bank = load_bank()
    rounds = [(q, {question.id: i % 5 for i, question in enumerate(q.questions)}) for q in bank.questionnaires.values()]
    answers = sum(len(a) for _, a in rounds)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        for questionnaire, round_answers in rounds:
            score_assessment(questionnaire, round_answers)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"answers scored per run: {answers} (three questionnaires)")
    p95 = times[int(len(times) * 0.95)]
    print(f"median: {statistics.median(times) * 1000:.2f} ms   p95: {p95 * 1000:.2f} ms")


if __name__ == "__main__":
    main()
