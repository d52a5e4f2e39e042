"""The payroll's pure rules (workforce/rules.py, "Payroll"): pro-rating by days, policies
ending mid-month, two policies for one post, the half-yearly cycle."""

import datetime as dt
from decimal import Decimal

from workforce import rules

D = dt.date


def terms(key=1, *, amount="200.00", start=dt.date(2024, 1, 1), end=None, kind="public_welfare",
          post_kind="liaison", level=5, unit_kind="", region="0001"):
    return rules.PolicyTerms(key, post_kind, level, unit_kind, region, kind, Decimal(amount),
                             start, end)


def held(key=10, *, starts=dt.date(2023, 1, 1), ended=None, kind="liaison", level=5,
         unit_kind="community", path="0001000200030004"):
    return rules.Held(key, kind, level, unit_kind, path, starts, ended)


def pay(held_list, policies, start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31)):
    return rules.subsidy_pay(held_list, policies, start=start, end=end)


def test_a_whole_month_pays_the_monthly_amount():
    [line] = pay([held()], [terms()])
    assert (line.amount, line.days, line.basis) == (Decimal("200.00"), 31, "200.00×1")


def test_a_post_taken_on_mid_month_is_paid_by_days():
    # From 16 March: 16 of 31 days, 200 × 16 / 31 = 103.2258… → 103.23.
    [line] = pay([held(starts=D(2024, 3, 16))], [terms()])
    assert (line.amount, line.days, line.basis) == (Decimal("103.23"), 16, "200.00×16/31")


def test_the_month_edges_first_and_last_day():
    # Starts on the last day of the month: one day paid; ends on the 1st (out from the 1st,
    # its ended_on): nothing; ends on the 2nd: the 1st is paid.
    [last] = pay([held(starts=D(2024, 3, 31))], [terms()])
    assert (last.days, last.amount) == (1, Decimal("6.45"))
    assert pay([held(ended=D(2024, 3, 1))], [terms()]) == []
    [first] = pay([held(ended=D(2024, 3, 2))], [terms()])
    assert (first.days, first.amount) == (1, Decimal("6.45"))
    # February of a leap year has 29 days: 15 of them are 200 × 15 / 29 = 103.45.
    [feb] = pay([held(starts=D(2024, 2, 15))], [terms()], D(2024, 2, 1), D(2024, 2, 29))
    assert (feb.days, feb.amount, feb.basis) == (15, Decimal("103.45"), "200.00×15/29")


def test_a_policy_ending_mid_month_hands_over_to_the_next():
    # 200 to 10 March (inclusive), 500 from 11 March: 10 and 21 days of 31.
    lines = pay([held()], [terms(1, end=D(2024, 3, 10)), terms(2, amount="500.00",
                                                             start=D(2024, 3, 11))])
    by_policy = {line.policy: line for line in lines}
    assert (by_policy[1].days, by_policy[1].amount) == (10, Decimal("64.52"))
    assert (by_policy[2].days, by_policy[2].amount) == (21, Decimal("338.71"))


def test_a_policy_ending_mid_month_alone_pays_its_days():
    [line] = pay([held()], [terms(end=D(2024, 3, 15))])
    assert (line.days, line.amount) == (15, Decimal("96.77"))


def test_two_policies_of_one_kind_the_nearest_region_wins():
    county, township = terms(1, region="0001"), terms(2, amount="500.00", region="00010002")
    [line] = pay([held()], [county, township])
    assert (line.policy, line.amount) == (2, Decimal("500.00"))
    # A policy of another region does not reach the post at all.
    elsewhere = terms(3, amount="900.00", region="00010009")
    [line] = pay([held()], [county, elsewhere])
    assert line.policy == 1


def test_two_policies_of_different_kinds_add_up():
    lines = pay([held()], [terms(1, amount="100.00", kind="lost_work"),
                           terms(2, amount="50.00", kind="allowance_plus")])
    assert sorted(line.amount for line in lines) == [Decimal("50.00"), Decimal("100.00")]


def test_a_policy_is_for_its_posts_only():
    township_only = terms(post_kind="liaison", level=4)
    assert pay([held()], [township_only]) == []
    community_only = terms(unit_kind="community")
    assert len(pay([held(unit_kind="community")], [community_only])) == 1
    assert pay([held(unit_kind="village")], [community_only]) == []
    assert pay([held(kind="chair")], [terms()]) == []


def test_the_half_yearly_cycle_adds_six_months_and_follows_the_rates():
    start, end = rules.period_bounds("half_yearly", 2012, 2)
    assert (start, end) == (D(2012, 7, 1), D(2012, 12, 31))
    rates = [terms(1, amount="50.00", start=D(2011, 1, 1), end=D(2011, 12, 31),
                   kind="allowance_plus", region="0001"),
             terms(2, amount="80.00", start=D(2012, 1, 1), end=D(2012, 12, 31),
                   kind="allowance_plus", region="0001"),
             terms(3, amount="100.00", start=D(2013, 1, 1), kind="allowance_plus",
                   region="0001")]
    [line] = pay([held(starts=D(2010, 1, 1))], rates, start, end)
    assert (line.policy, line.amount, line.days, line.basis) == (
        2, Decimal("480.00"), 184, "80.00×6")
    # Taken on 16 September: 15/30 of September, then October to December.
    [line] = pay([held(starts=D(2012, 9, 16))], rates, start, end)
    assert (line.amount, line.basis) == (Decimal("280.00"), "80.00×3 + 80.00×15/30")


def test_the_periods():
    assert rules.period_bounds("monthly", 2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert rules.period_bounds("monthly", 2024, 12) == (D(2024, 12, 1), D(2024, 12, 31))
    assert rules.period_bounds("half_yearly", 2024, 1) == (D(2024, 1, 1), D(2024, 6, 30))
    assert rules.run_period(cycle="monthly", start=D(2024, 4, 1), today=D(2024, 3, 31))
    assert rules.run_period(cycle="monthly", start=D(2024, 3, 1), today=D(2024, 3, 1)) == {}


def test_a_policy_is_checked():
    good = {"name": "专职委员公益性岗位补贴", "post_kind": "liaison", "unit_level": 4,
            "unit_kind": "", "region_level": 3, "monthly_amount": Decimal("200.00"),
            "valid_from": D(2012, 1, 1), "valid_to": None, "cycle": "monthly"}
    assert rules.policy(good) == {}
    assert set(rules.policy({**good, "monthly_amount": Decimal("0")})) == {"monthly_amount"}
    assert set(rules.policy({**good, "monthly_amount": Decimal("1.005")})) == {
        "monthly_amount"}
    assert set(rules.policy({**good, "valid_to": D(2011, 12, 31)})) == {"valid_to"}
    assert set(rules.policy({**good, "unit_kind": "community"})) == {"unit_kind"}
    assert set(rules.policy({**good, "post_kind": "counsellor", "unit_level": 5})) == set()
    assert set(rules.policy({**good, "region_level": 5})) == {"unit"}
    assert set(rules.policy({**good, "name": " "})) == {"name"}
    assert set(rules.policy({**good, "cycle": "half_yearly",
                             "valid_from": D(2012, 1, 2)})) == {"valid_from"}


def test_an_adjustment_needs_an_amount_and_a_reason():
    assert rules.adjustment(amount=Decimal("-20.00"), reason="多发") == {}
    assert set(rules.adjustment(amount=Decimal("0"), reason="")) == {"amount", "reason"}
    assert set(rules.adjustment(amount=Decimal("0.001"), reason="x")) == {"amount"}
