"""Working-day norms: Monday to Friday, Norwegian public holidays skipped, the start day not counted.

phr-adults: referral_received -> referral_assessed within 10 working days.
Each expected date below is counted by hand in the comment.
"""
from datetime import date

import pytest

from portal.timeline import Event, compute_timeline
from portal.timeline.calendar import add, add_working_days, is_working_day

D = date.fromisoformat


def assessed_by(phr, received: str) -> date:
    timeline = compute_timeline(phr, [Event("referral_received", D(received))], D(received))
    return next(s for s in timeline.steps if s.milestone == "referral_assessed").expected_by


def test_ten_working_days_in_an_ordinary_fortnight(phr):
    # Wed 2026-03-04: Thu 5, Fri 6, Mon 9 .. Fri 13, Mon 16, Tue 17, Wed 18 = 10
    assert assessed_by(phr, "2026-03-04") == D("2026-03-18")


def test_referral_received_just_before_easter(phr):
    # Wed 2026-04-01. Thu 2 (Maundy Thursday), Fri 3 (Good Friday), Mon 6 (Easter Monday) are holidays.
    # Tue 7 (1), Wed 8, Thu 9, Fri 10 (4), Mon 13 .. Fri 17 (9), Mon 20 (10)
    assert assessed_by(phr, "2026-04-01") == D("2026-04-20")


def test_referral_received_before_17_may_and_whit_monday(phr):
    # Tue 2024-05-14. Fri 17 May (Constitution Day) and Mon 20 May (Whit Monday) are holidays.
    # Wed 15 (1), Thu 16 (2), Tue 21 (3) .. Fri 24 (6), Mon 27 .. Thu 30 (10)
    assert assessed_by(phr, "2024-05-14") == D("2024-05-30")


def test_referral_received_before_christmas_and_new_year(phr):
    # Mon 2025-12-22. 25 and 26 December and 1 January are holidays; 24 and 31 December are not.
    # Tue 23 (1), Wed 24 (2), Mon 29 (3), Tue 30 (4), Wed 31 (5), Fri 2 Jan (6), Mon 5 .. Thu 8 (10)
    assert assessed_by(phr, "2025-12-22") == D("2026-01-08")


def test_referral_received_on_a_saturday(phr):
    # Sat 2026-03-07: Mon 9 (1) .. Fri 13 (5), Mon 16 .. Fri 20 (10)
    assert assessed_by(phr, "2026-03-07") == D("2026-03-20")


def test_start_day_is_not_counted():
    assert add_working_days(D("2026-03-02"), 1) == D("2026-03-03")  # Monday -> Tuesday


def test_one_working_day_after_friday_is_monday():
    assert add_working_days(D("2026-03-06"), 1) == D("2026-03-09")


def test_one_working_day_after_maundy_thursday_eve_is_the_tuesday_after_easter():
    assert add_working_days(D("2026-04-01"), 1) == D("2026-04-07")


@pytest.mark.parametrize("day", ["2026-04-02", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14",
                                 "2026-05-25", "2026-12-25", "2026-12-26", "2026-01-01", "2024-05-17"])
def test_norwegian_public_holidays_are_not_working_days(day):
    assert not is_working_day(D(day))


def test_calendar_day_norm_counts_weekends_and_holidays():
    assert add(D("2026-04-01"), 7, "calendar_days") == D("2026-04-08")


def test_month_norm_keeps_the_day_of_month_or_falls_back_to_the_last_day():
    assert add(D("2026-01-20"), 6, "months") == D("2026-07-20")
    assert add(D("2025-08-31"), 6, "months") == D("2026-02-28")
