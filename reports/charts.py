"""Charts drawn on the server as SVG: pure functions from labels and numbers to markup.

No script, no library in the browser and nothing fetched: the same markup goes into the
page and into the PDF (WeasyPrint draws inline SVG). Each chart is an image with a text
alternative (``role="img"``, a ``<title>`` and a ``<desc>`` that says every number), every
bar carries its number as text, so nothing is told by colour alone; the page puts the same
numbers in a table beside it. Colours are presentation attributes (the pages' CSP forbids
style attributes, not these), chosen for contrast on white.

Why not a charting library: the ones on PyPI either draw with JavaScript in the browser
(a CDN or a bundle, and no chart in the PDF) or render raster images through matplotlib
(a heavy dependency, no text in the markup for a screen reader or a test). Three chart
shapes of a few dozen lines each cost less.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import rules

WIDTH = 480  # the viewBox width; the SVG scales to its box (static/css/canlian.css .chart)
LABEL_WIDTH = 150  # room for the bar labels at the left
VALUE_ROOM = 70  # room for the number after the longest bar
ROW = 32  # height of a bar's row
BAR = 22  # height of a bar
FONT = 15
PALETTE = ("#0b4f9c", "#8c1c13", "#14532d", "#5c4200", "#4a4a4a", "#6b2a8c", "#00606b")
INK, MUTED, TRACK = "#1a1a1a", "#4a4a4a", "#dde2e9"

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def percent(share: float | None) -> str:
    """A share (0–1) as the pages print it: one decimal, half up, and a percent sign (the
    rounding of reports.rules, so a chart and its table never differ)."""
    if share is None:
        return rules.share_text(None)
    return rules.share_text(Decimal(repr(share * 100)).quantize(rules.ONE_DECIMAL,
                                                                 rounding=ROUND_HALF_UP))


def _svg(title: str, desc: str, height: int, body: list[str], css_class: str) -> SafeString:
    n = next(_ids)
    t, d = f"chart-{n}-title", f"chart-{n}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(("chart " + css_class).strip())}"'
        f' role="img" aria-labelledby="{t} {d}" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" font-size="{FONT}"'
        f' font-family="WenQuanYi Micro Hei, sans-serif">',
        f'<title id="{t}">{escape(title)}</title>',
        f'<desc id="{d}">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped


def _text(x, y, text, *, anchor="start", fill=INK, weight="") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" fill="{fill}"{bold}'
            f' aria-hidden="true">{escape(text)}</text>')


def _clip(label: str, limit: int = 9) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def bar_chart(title: str, bars: Sequence[Bar | tuple], *, suffix: str = "",
              css_class: str = "") -> SafeString:
    """Horizontal bars, one a row: the label at the left, the bar, its number after it
    (``suffix``: "%" for shares). The longest bar fills the width; zero draws no bar but
    still prints 0."""
    bars = [b if isinstance(b, Bar) else Bar(*b) for b in bars]
    top = max((b.value or 0 for b in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    body = []
    for i, b in enumerate(bars):
        y = i * ROW + (ROW - BAR) / 2
        length = room * (b.value or 0) / top
        fill = PALETTE[i % len(PALETTE)]
        body.append(_text(LABEL_WIDTH - 8, y + BAR - 5, _clip(b.label), anchor="end"))
        if length > 0:
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y:g}" width="{length:.1f}"'
                        f' height="{BAR}" fill="{fill}"/>')
        body.append(_text(LABEL_WIDTH + length + 6, y + BAR - 5, _fmt(b.value) + suffix,
                          weight="bold"))
    desc = "；".join(f"{b.label}：{_fmt(b.value)}{suffix}" for b in bars) or _("No figures.")
    return _svg(title, desc, max(len(bars), 1) * ROW, body, css_class)


def stacked_bar(title: str, parts: Sequence[Bar | tuple], *, css_class: str = "") -> SafeString:
    """One bar split into ``parts`` (urban and rural, in post and vacant), each part's
    label, number and share printed under the bar beside a swatch, in the bar's order —
    and inside its part when it fits."""
    parts = [p if isinstance(p, Bar) else Bar(*p) for p in parts]
    total = sum(p.value or 0 for p in parts)
    body, x = [], 0.0
    legend_y = BAR + 26
    for i, p in enumerate(parts):
        fill = PALETTE[i % len(PALETTE)]
        share = (p.value or 0) / total if total else None
        length = WIDTH * share if share else 0
        if length > 0:
            body.append(f'<rect x="{x:.1f}" y="0" width="{length:.1f}" height="{BAR + 8}"'
                        f' fill="{fill}" stroke="#ffffff" stroke-width="2"/>')
            inside = f"{_fmt(p.value)}"
            if length > 8 * len(inside) + 12:
                body.append(_text(x + length / 2, BAR + 1, inside, anchor="middle",
                                  fill="#ffffff", weight="bold"))
        x += length
        ly = legend_y + i * 24
        body.append(f'<rect x="0" y="{ly - 13}" width="14" height="14" fill="{fill}"/>')
        body.append(_text(22, ly, f"{p.label}：{_fmt(p.value)}（{percent(share)}）"))
    if not total:
        body.insert(0, f'<rect x="0" y="0" width="{WIDTH}" height="{BAR + 8}" fill="{TRACK}"/>')
    shares = [(p.value or 0) / total if total else None for p in parts]
    desc = "；".join(f"{p.label}：{_fmt(p.value)}（{percent(s)}）"
                    for p, s in zip(parts, shares, strict=True)) or _("No figures.")
    return _svg(title, desc, legend_y + len(parts) * 24, body, css_class)


def target_bar(title: str, share: float | None, target: float, *, label: str = "",
               css_class: str = "") -> SafeString:
    """A share (0–1) as a bar on a track of 100 %, with a mark at ``target`` labelled with
    it, and the share printed after the bar: whether the target is reached reads from the
    words under it as well as from the mark."""
    track_y, height = 26, BAR + 8
    body = [f'<rect x="0" y="{track_y}" width="{WIDTH}" height="{height}" fill="{TRACK}"/>']
    filled = WIDTH * min(max(share or 0, 0), 1)
    if filled > 0:
        body.append(f'<rect x="0" y="{track_y}" width="{filled:.1f}" height="{height}"'
                    f' fill="{PALETTE[0]}"/>')
    value = percent(share)
    fits = filled > 10 * len(value) + 12
    body.append(_text(filled - 6 if fits else filled + 6, track_y + height - 8, value,
                      anchor="end" if fits else "start", fill="#ffffff" if fits else INK,
                      weight="bold"))
    tx = WIDTH * target
    body.append(f'<line x1="{tx:.1f}" y1="{track_y - 6}" x2="{tx:.1f}"'
                f' y2="{track_y + height + 6}" stroke="{PALETTE[1]}" stroke-width="3"/>')
    target_text = _("Target %(target)s") % {"target": percent(target)}
    body.append(_text(tx, track_y - 10, target_text, anchor="end", fill=MUTED))
    reached = share is not None and share >= target
    verdict = (_("Target reached") if reached else _("Target not reached")) if share is not None \
        else _("No figures.")
    body.append(_text(0, track_y + height + 22, verdict, fill=MUTED))
    desc = f"{label or title}：{value}；{target_text}；{verdict}"
    return _svg(title, desc, track_y + height + 30, body, css_class)
