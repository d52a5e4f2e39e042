"""The SVG charts (reports/charts.py): valid XML, a title and a description that say every
number, each number printed on its bar, nothing drawn for a zero, escaped labels."""

import xml.etree.ElementTree as ET

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _xml(markup):
    # The markup is the charts' own, built from the test's labels: nothing untrusted.
    return ET.fromstring(str(markup))  # noqa: S314


def _parse(markup):
    root = _xml(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    return root, title.text, desc.text, texts


def test_a_bar_chart_names_every_bar_and_its_number():
    svg = charts.bar_chart("按类别", [("视力", 3), ("听力", 0), ("肢体", 12)])
    root, title, desc, texts = _parse(svg)
    assert title == "按类别"
    assert desc == "视力：3；听力：0；肢体：12"
    assert texts == ["视力", "3", "听力", "0", "肢体", "12"]
    bars = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(bars) == 2  # no bar for the zero
    assert bars[1] > bars[0] * 3.9  # 12 against 3: the longest fills the room


def test_a_share_chart_prints_its_suffix():
    _root, _t, desc, texts = _parse(charts.bar_chart("达标", [("九有", 37.5)], suffix="%"))
    assert "37.5%" in texts and desc == "九有：37.5%"


def test_labels_are_escaped_and_the_xml_stays_valid():
    _root, title, desc, texts = _parse(charts.bar_chart("<b>&", [("a<b", 1)]))
    assert title == "<b>&" and "a<b" in texts and desc == "a<b：1"


def test_a_stacked_bar_gives_parts_and_shares_in_words():
    svg = charts.stacked_bar("户籍", [("城镇", 5), ("农村", 15)])
    _root, _title, desc, texts = _parse(svg)
    assert desc == "城镇：5（25.0%）；农村：15（75.0%）"
    assert "城镇：5（25.0%）" in texts and "农村：15（75.0%）" in texts


def test_an_empty_stacked_bar_says_no_share():
    _root, _title, desc, _texts = _parse(charts.stacked_bar("户籍", [("城镇", 0), ("农村", 0)]))
    assert desc == "城镇：0（—）；农村：0（—）"


def test_the_target_bar_says_the_share_the_target_and_whether_it_is_reached():
    from django.utils import translation

    with translation.override("en"):
        _root, title, desc, texts = _parse(charts.target_bar("走访率", 0.8, 0.95))
        assert "80.0%" in texts and "Target 95.0%" in texts
        assert desc == "走访率：80.0%；Target 95.0%；Target not reached"
        _root, _title, desc, _texts = _parse(charts.target_bar("走访率", 0.96, 0.95))
        assert desc.endswith("Target reached")
        _root, _title, desc, _texts = _parse(charts.target_bar("走访率", None, 0.95))
        assert "—" in desc


def test_every_chart_has_its_own_ids():
    a, b = charts.bar_chart("a", [("x", 1)]), charts.bar_chart("a", [("x", 1)])
    assert _xml(a).get("aria-labelledby") != _xml(b).get("aria-labelledby")


def test_the_dashboard_and_its_charts_round_a_share_as_every_report_does():
    """One rounding (reports.rules: one decimal, half up): doc5's 136,400 of 1,815,000 is
    7.5 % on the dashboard, in its charts and in the overview alike; 0.25 % stays 0.3 %
    (not 0.2 % by binary or half-even rounding)."""
    from reports.dashboard_selectors import Share

    assert Share(136_400, 1_815_000).text == "7.5%"
    assert Share(1, 400).text == "0.3%"
    assert Share(3, 0).text == "—"
    assert charts.percent(136_400 / 1_815_000) == "7.5%"
    assert charts.percent(1 / 400) == "0.3%"
    assert charts.percent(None) == "—"
