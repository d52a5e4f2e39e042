"""The 100-point assessment's rules: each scoring method against values built to meet it
and to miss it, the total with its bonus and veto, ranks with ties, grades, the commended
and the criticised, and what a scheme, a round and a sheet may do next."""

from decimal import Decimal as D

from standards import assessment_rules as rules
from standards.choices import StandardStatus


def test_manual_gives_the_points_typed_capped_at_the_maximum():
    assert rules.score_item(method="manual", max_points=10, value=D("7.5")).base == D("7.5")
    assert rules.score_item(method="manual", max_points=10, value=12).base == D("10.0")
    assert rules.score_item(method="manual", max_points=10, value=None).base == 0


def test_an_indicator_gives_the_maximum_times_its_share():
    assert rules.score_item(method="indicator", max_points=20, value=1).base == D("20.0")
    assert rules.score_item(method="indicator", max_points=20, value=D("0.45")).base == D("9.0")
    assert rules.score_item(method="indicator", max_points=20, value=0).base == 0


def test_pro_rata_is_value_over_target_capped_with_the_items_bonus_above():
    met = rules.score_item(method="pro_rata", max_points=10, value=10, target=10)
    assert (met.base, met.bonus) == (D("10.0"), 0)
    missed = rules.score_item(method="pro_rata", max_points=10, value=3, target=10)
    assert (missed.base, missed.bonus) == (D("3.0"), 0)
    beyond = rules.score_item(method="pro_rata", max_points=10, value=30, target=10)
    assert (beyond.base, beyond.bonus) == (D("10.0"), 0)  # no bonus allowed: capped
    bonus = rules.score_item(method="pro_rata", max_points=10, value=13, target=10,
                             bonus_max=2)
    assert (bonus.base, bonus.bonus) == (D("10.0"), D("2.0"))  # 13 → 3 above, 2 at most
    assert rules.score_item(method="pro_rata", max_points=10, value=5, target=0).base == 0


def test_a_deduction_per_miss_is_floored_at_zero():
    assert rules.score_item(method="deduction", max_points=10, value=0,
                            per_miss=1).base == D("10.0")
    assert rules.score_item(method="deduction", max_points=10, value=3,
                            per_miss=D("0.5")).base == D("8.5")
    assert rules.score_item(method="deduction", max_points=10, value=40,
                            per_miss=1).base == 0


def test_a_veto_caps_or_zeroes_the_total():
    clean = rules.score_item(method="veto", max_points=0, value=0)
    caught = rules.score_item(method="veto", max_points=0, value=2)
    assert not clean.vetoed and caught.vetoed
    items = [rules.Scored(D("50")), rules.Scored(D("45"))]
    assert rules.total([*items, clean]) == D("95.0")
    assert rules.total([*items, caught], veto_caps=[D("59")]) == D("59.0")
    assert rules.total([*items, caught], veto_caps=[0]) == 0
    assert rules.total([rules.Scored(D("40"))], veto_caps=[D("59")]) == D("40.0")


def test_the_bonus_adds_above_100_up_to_the_schemes_cap():
    items = [rules.Scored(D("100"), D("4")), rules.Scored(D("0"), D("3"))]
    assert rules.total(items, bonus_cap=5) == D("105.0")
    assert rules.total(items, bonus_cap=0) == D("100.0")


def test_equal_scores_share_a_rank_and_the_next_skips():
    ranked = rules.ranks({"a": D("90"), "b": D("85"), "c": D("85"), "d": D("70"),
                          "e": None})
    assert ranked == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_grades_follow_the_schemes_bands():
    bands = {"excellent_from": 90, "good_from": 80, "pass_from": 60}
    assert [rules.grade(s, **bands) for s in (D("95"), 90, D("89.9"), 80, 60, D("59.9"))] \
        == ["excellent", "excellent", "good", "good", "pass", "fail"]
    assert rules.grade(None, **bands) == ""
    assert rules.grade(85, excellent_from=85, good_from=70, pass_from=50) == "excellent"


def test_the_top_share_is_commended_and_the_lowest_criticised_ties_whole():
    ranked = rules.ranks({k: D(v) for k, v in
                          {"a": 98, "b": 95, "c": 95, "d": 80, "e": 70, "f": 60, "g": 60,
                           "h": 90, "i": 85, "j": 75}.items()})
    top = rules.commended(ranked, share_percent=35)  # 10 units: the first 3 places
    assert top == {"a", "b", "c"}
    assert rules.commended(ranked, share_percent=20) == {"a", "b", "c"}  # tie at place 2
    assert rules.commended(ranked, share_percent=0) == set()
    low = rules.criticised(ranked, count=1, spared=top)
    assert low == {"f", "g"}  # equal last: both criticised
    assert rules.criticised(ranked, count=0) == set()
    assert rules.criticised({"a": 1}, count=1, spared={"a"}) == set()


def test_a_scheme_is_published_only_when_its_maxima_add_up_to_100():
    assert rules.publish_problem(max_total=D("100.0"), items=9) is None
    assert "99" in rules.publish_problem(max_total=D("99"), items=9)
    assert rules.publish_problem(max_total=D("105"), items=9)
    assert rules.publish_problem(max_total=0, items=0)
    assert rules.scheme_change_problem(StandardStatus.PUBLISHED)
    assert rules.scheme_change_problem(StandardStatus.DRAFT) is None


def test_an_items_shape_is_checked_by_its_method():
    base = {"text": "走访", "measure": "", "target": None, "per_miss": None,
            "bonus_max": 0, "veto_cap": None, "scheme_bonus_cap": 0, "measures": {"visit_rate"}}
    assert rules.item_problems(method="manual", max_points=10, **base) == {}
    assert "measure" in rules.item_problems(method="indicator", max_points=10, **base)
    assert "target" in rules.item_problems(method="pro_rata", max_points=10, **base)
    assert "per_miss" in rules.item_problems(method="deduction", max_points=10, **base)
    assert "veto_cap" in rules.item_problems(method="veto", max_points=0, **base)
    assert "max_points" in rules.item_problems(method="manual", max_points=0, **base)
    bonus = {**base, "target": 10, "bonus_max": 2}
    assert "bonus_max" in rules.item_problems(method="pro_rata", max_points=10, **bonus)
    assert rules.item_problems(method="pro_rata", max_points=10,
                               **{**bonus, "scheme_bonus_cap": 5}) == {}


def test_the_steps_come_in_order_self_then_inspectors_then_confirm():
    assert rules.inspect_problem(round_status="open", self_scored=False)
    assert rules.inspect_problem(round_status="open", self_scored=True) is None
    assert rules.self_score_problem(round_status="open", inspected=True)
    assert rules.self_score_problem(round_status="open", inspected=False) is None
    assert rules.self_score_problem(round_status="confirmed", inspected=False)
    assert rules.confirm_problem(round_status="open", sheets=3, inspected=2)
    assert rules.confirm_problem(round_status="open", sheets=3, inspected=3) is None
    assert rules.confirm_problem(round_status="confirmed", sheets=3, inspected=3)


def test_how_to_gain_points_names_what_is_missing():
    assert "8.0" in rules.gain(method="pro_rata", max_points=10, value=2, target=10)
    assert "45.0" in rules.gain(method="indicator", max_points=20, value=D("0.45"))
    assert "3" in rules.gain(method="deduction", max_points=10, value=3, per_miss=1)
