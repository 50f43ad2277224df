"""Whole pathways of made-up people who went through a unit in the last year, so the demo's figures
(portal.figures) have enough cases to show: one unit per shape of pathway. Deterministic: the same
seed gives the same people."""
from __future__ import annotations

import random
from datetime import date, timedelta

from .timeline import Event, Options


def breast_cancer(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = [Event("referral_received", day)]
    day += timedelta(days=rng.randint(2, 10))
    events.append(Event("first_attendance", day))
    day += timedelta(days=rng.randint(3, 16))
    if rng.random() < 0.2:
        return events + [Event("clinical_decision", day, outcome="no_disease")], Options()
    treatment = rng.choice(["surgery", "surgery", "surgery", "drug"])
    events.append(Event("clinical_decision", day, outcome="cancer_confirmed", treatment=treatment))
    events.append(Event("treatment_start", day + timedelta(days=rng.randint(4, 18)), treatment=treatment))
    return events, Options()


def mental_health(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = [Event("referral_received", day)]
    for milestone, low, high in (("referral_assessed", 2, 16), ("first_attendance", 5, 20)):
        day += timedelta(days=rng.randint(low, high))
        events.append(Event(milestone, day))
    day += timedelta(days=rng.randint(10, 40))
    events.append(Event("clinical_decision", day, outcome="treatment_here", setting="outpatient"))
    for _ in range(rng.randint(1, 2)):
        day += timedelta(days=rng.randint(30, 60))
        events.append(Event("evaluation", day))
    events.append(Event("pathway_ended", day + timedelta(days=rng.randint(5, 30)), reason="treatment_completed"))
    return events, Options()


def home(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = [Event("admission", day)]
    day += timedelta(days=rng.randint(2, 10))
    events.append(Event("discharge", day))
    day += timedelta(days=rng.randint(0, 2))
    events.append(Event("first_home_visit", day))
    day += timedelta(days=rng.randint(8, 20))
    events.append(Event("follow_up", day))
    events.append(Event("pathway_ended", day + timedelta(days=rng.randint(10, 60)), reason="no_longer_needed"))
    return events, Options()


MAKERS = {"cancer-breast": breast_cancer, "phr-adults": mental_health, "hph": home}


def finished_pathways(pathway_id: str, count: int, today: date, seed: int = 11) -> list[tuple[list[Event], Options]]:
    """`count` pathways that started in the last year and are over by `today`."""
    rng = random.Random(f"{seed}-{pathway_id}")
    found = []
    while len(found) < count:
        events, options = MAKERS[pathway_id](rng, today - timedelta(days=rng.randint(60, 330)))
        if events[-1].date < today:
            found.append((events, options))
    return found
