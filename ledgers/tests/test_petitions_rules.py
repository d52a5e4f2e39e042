"""The rules of letters and visits, pure: the steps, the deadline, the overdue, what each
step needs, the masks."""

import datetime as dt

import pytest

from ledgers import rules

TODAY = dt.date(2026, 6, 30)


def test_the_steps_from_each_status():
    assert rules.petition_actions("registered") == ["accept", "refuse"]
    assert rules.petition_actions("accepted") == ["start"]
    assert rules.petition_actions("handling") == ["reply"]
    assert rules.petition_actions("replied") == ["close", "reopen"]
    assert rules.petition_actions("reopened") == ["start"]
    assert rules.petition_actions("closed") == []
    assert rules.petition_actions("not_accepted") == []


def test_the_deadline_and_the_overdue():
    assert rules.petition_deadline(dt.date(2026, 1, 1), 60) == dt.date(2026, 3, 2)
    due = dt.date(2026, 6, 29)
    assert rules.petition_overdue(status="handling", deadline=due, today=TODAY)
    assert rules.petition_overdue(status="reopened", deadline=due, today=TODAY)
    assert not rules.petition_overdue(status="handling", deadline=TODAY, today=TODAY)
    for finished in ("replied", "closed", "not_accepted"):
        assert not rules.petition_overdue(status=finished, deadline=due, today=TODAY)


@pytest.mark.parametrize(("action", "status", "values", "field"), [
    ("reply", "registered", {"reply": "x", "replied_on": TODAY}, "__all__"),
    ("refuse", "registered", {"reason": "  "}, "reason"),
    ("accept", "registered", {}, "handler_name"),
    ("reply", "handling", {"replied_on": TODAY}, "reply"),
    ("reply", "handling", {"reply": "x", "replied_on": TODAY + dt.timedelta(days=1)},
     "replied_on"),
    ("reply", "handling", {"reply": "x", "replied_on": dt.date(2025, 1, 1)}, "replied_on"),
    ("close", "replied", {}, "satisfaction"),
    ("close", "replied", {"satisfaction": "not_satisfied"}, "note"),
    ("reopen", "replied", {"satisfaction": "satisfied"}, "satisfaction"),
])
def test_what_a_step_needs(action, status, values, field):
    problems = rules.transition_problems(action, status=status, values=values,
                                         received_on=dt.date(2026, 1, 1), today=TODAY)
    assert field in problems


def test_a_step_with_what_it_needs_passes():
    ok = {"accept": {"handler_name": "王干事"}, "refuse": {"reason": "不属受理范围"},
          "reply": {"reply": "已答复", "replied_on": TODAY},
          "close": {"satisfaction": "basically"},
          "reopen": {"satisfaction": "not_satisfied"}}
    starts = {"accept": "registered", "refuse": "registered", "reply": "handling",
              "close": "replied", "reopen": "replied"}
    for action, values in ok.items():
        assert rules.transition_problems(action, status=starts[action], values=values,
                                         received_on=dt.date(2026, 1, 1), today=TODAY) == {}


def test_the_registration_problems_in_chinese():
    problems = rules.petition_problems({"received_on": TODAY + dt.timedelta(days=1),
                                        "petitioner_name": "", "content": "",
                                        "petitioner_phone": "12ab"}, today=TODAY)
    assert set(problems) == {"received_on", "petitioner_name", "content", "petitioner_phone"}
    assert "今天" in problems["received_on"]
    assert rules.petition_problems({"received_on": TODAY, "has_person": True,
                                    "content": "x"}, today=TODAY) == {}


def test_the_masks():
    assert rules.mask_name("张三") == "张*"
    assert rules.mask_name("欧阳娜娜") == "欧***"
    assert rules.mask_name("") == ""
    assert rules.mask_phone("13909435678") == "139****5678"
    assert rules.mask_phone("5123456") == "*****56"
    assert "0943" not in rules.mask_phone("09435123456")
