"""The timeline as JSON-ready data: the one form the CLI and the API both print."""
from __future__ import annotations

from datetime import date

from .model import Interval, NormVersion, Step, Timeline


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _norm(interval: Interval | None) -> dict | None:
    if interval is None or interval.amount is None:
        return None
    norm = {"from": interval.from_milestone, "amount": interval.amount, "unit": interval.unit}
    if interval.when:
        norm[interval.when[0]] = interval.when[1]
    if interval.amount_min is not None:
        norm["amount_min"] = interval.amount_min
    if interval.approximate:
        norm["approximate"] = True
    return norm


def step_to_dict(step: Step) -> dict:
    data = {"milestone": step.milestone, "occurrence": step.occurrence, "phase": step.phase, "status": step.status}
    if step.date:
        data["date"] = _day(step.date)
    for key in ("outcome", "treatment", "setting"):
        if getattr(step, key):
            data[key] = getattr(step, key)
    if step.status not in ("done", "skipped"):
        data["expected_by"] = _day(step.expected_by)
        data["norm"] = _norm(step.norm)
        if step.branches:
            data["branches"] = [{b.kind: b.value, "expected_by": _day(b.expected_by)} for b in step.branches]
        if step.postponed_days:
            data["postponed_by_patient_days"] = step.postponed_days
        if step.moved_by_late:
            data["counted_from_today_because_late"] = step.moved_by_late
    if step.optional:
        data["optional"] = True
    return data


def _norm_version(version: NormVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        # null when the day is not known: the date the engine works with then only stands in for it
        "effective_from": _day(version.effective_from) if version.start_known else None,
        "effective_until": _day(version.effective_until),
        "source": version.source,
        "quality": version.quality,
    }


def timeline_to_dict(timeline: Timeline) -> dict:
    return {
        "pathway": timeline.pathway,
        "pathway_version": timeline.pathway_version,
        "shape": timeline.shape,
        "today": _day(timeline.today),
        "state": timeline.state,
        "end_reason": timeline.end_reason,
        "ended_on": _day(timeline.ended_on),
        "current_phase": timeline.current_phase,
        "clock_started": _day(timeline.clock_started),
        "norm_version": _norm_version(timeline.norm_version),
        "treatment": timeline.treatment,
        "setting": timeline.setting,
        "severity": timeline.severity,
        "next_step": step_to_dict(timeline.next_step) if timeline.next_step else None,
        "steps": [step_to_dict(s) for s in timeline.steps],
        "postponements": [
            {"requested_on": _day(p.requested_on), "until": _day(p.until), "days": p.days}
            for p in timeline.postponements
        ],
    }
