"""The dashboard's workbook and PDF: the same figures as the page, in Chinese whatever the
user's language (a report filed and compared with other units'), with the statement of
whether they are live or frozen and as of when. The PDF carries the page's SVG charts."""

import io
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import charts
from .dashboard_selectors import Dashboard
from .exports import FONT_NAME, date_zh

PRINT_CSS = Path(__file__).resolve().parent / "print" / "dashboard.css"
TITLE = "工作看板"


def dashboard_title(board: Dashboard) -> str:
    return f"{board.unit.name}{TITLE}"


def dashboard_filename(board: Dashboard, ext: str) -> str:
    return f"{dashboard_title(board)}-{board.today:%Y-%m-%d}.{ext}"


def dashboard_charts(board) -> dict:
    """The SVG charts of ``board``, for the page and the PDF alike."""
    found = {
        "category": charts.bar_chart(
            _("Certified disabled people by category"),
            [(str(f.label), f.value) for f in board.by_category]),
        "grade": charts.bar_chart(
            _("Certified disabled people by grade"),
            [(str(f.label), f.value) for f in board.by_grade]),
        "hukou": charts.stacked_bar(
            _("Disabled people by household registration"),
            [(str(f.label), f.value) for f in board.by_hukou]),
        "needs": charts.bar_chart(
            _("Open needs by type"), [(str(n.label), n.open) for n in board.needs]),
        "visits": charts.target_bar(
            _("Visit rate this year"), board.visits["share"].value, board.visit_target,
            label=_("People visited this year, of all")),
    }
    if board.workforce is not None:
        w = board.workforce
        found["officers"] = charts.stacked_bar(
            _("Liaison officers"), [(str(w["in_post"].label), w["in_post"].value),
                                    (str(w["vacant_liaison"].label), w["vacant_liaison"].value)])
    if board.training is not None:
        t = board.training
        found["training"] = charts.stacked_bar(
            _("Officers' yearly training"),
            [(_("Trained to their minimum"), t["trained"].part),
             (str(t["short"].label), t["short"].value)])
    if board.standards:
        found["standards"] = charts.bar_chart(
            _("Units attaining every item, by standard"),
            [(s.name, round(s.share.percent or 0, 1)) for s in board.standards], suffix="%")
    return found



def _percent(share) -> str:
    return share.text if share is not None else "—"


def dashboard_rows(board: Dashboard) -> list[tuple[str, str, object]]:
    """(section, figure, value) for every figure of the dashboard, in the page's order; a
    share is a text like "87.5%" (the page's rounding)."""
    rows: list[tuple[str, str, object]] = []
    people = str(_("People"))
    rows.append((people, str(board.people.label), board.people.value))
    rows.append((people, str(board.certified.label), board.certified.value))
    for f in board.by_category:
        rows.append((str(_("By category (certified)")), str(f.label), f.value))
    for f in board.by_grade:
        rows.append((str(_("By grade (certified)")), str(f.label), f.value))
    for f in board.by_hukou:
        rows.append((str(_("Household registration")), str(f.label), f.value))
    rows.append((people, str(_("Population")), board.population))
    rows.append((people, str(_("Share of the population")), _percent(board.population_share)))
    needs = str(_("Needs"))
    for n in board.needs:
        rows.append((needs, f"{n.label}·{_('open')}", n.open))
        rows.append((needs, f"{n.label}·{_('met')}", n.met))
    v = board.visits
    visits = str(_("Visits"))
    rows += [(visits, str(_("People visited this year")), v["visited"]),
             (visits, str(_("Disabled people")), v["people"]),
             (visits, str(_("Visit rate")), _percent(v["share"])),
             (visits, str(_("Target")), charts.percent(board.visit_target)),
             (visits, str(v["due_figure"].label), v["due"])]
    if board.workforce is not None:
        section = str(_("Liaison officers"))
        for key in ("in_post", "vacant_liaison", "vacant"):
            f = board.workforce[key]
            rows.append((section, str(f.label), f.value))
    if board.training is not None:
        t = board.training
        section = str(_("Training this year"))
        rows += [(section, str(t["sessions"].label), t["sessions"].value),
                 (section, str(t["attendances"].label), t["attendances"].value),
                 (section, str(_("Officers with a yearly minimum")), t["officers"]),
                 (section, str(t["short"].label), t["short"].value),
                 (section, str(_("Sessions missing")), t["missing"])]
    if board.standards is not None:
        section = str(_("Standards"))
        for s in board.standards:
            rows.append((section, s.name, f"{s.attained}/{s.total}（{_percent(s.share)}）"))
    if board.assessment is not None:
        a = board.assessment
        section = str(_("Assessment"))
        rows.append((section, str(_("Round")), f"{a.year} {a.title}"))
        if a.own:
            rows.append((section, str(_("Rank")),
                         f"{a.rank}/{a.units}" if a.rank is not None else "—"))
            rows.append((section, str(_("Score")), str(a.total) if a.total is not None
                         else "—"))
            rows.append((section, str(_("Grade")), str(a.grade) or "—"))
        else:
            rows.append((section, str(_("Units assessed")), a.units))
    return rows


def dashboard_xlsx(board: Dashboard) -> bytes:
    """The workbook: a title row, the statement (live or frozen, as of when), then a row a
    figure under 项目 / 指标 / 数值."""
    with override("zh-hans"):
        rows = dashboard_rows(board)
    wb = Workbook()
    ws = wb.active
    ws.title = TITLE
    ws.cell(1, 1, dashboard_title(board)).font = Font(name=FONT_NAME, size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    ws.cell(2, 1, f"{board.status.statement_zh()} · 导出于{date_zh(board.today)}").font = \
        Font(name=FONT_NAME, size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    header = Font(name=FONT_NAME, size=10, bold=True)
    body = Font(name=FONT_NAME, size=10)
    for col, text in enumerate(("项目", "指标", "数值"), start=1):
        ws.cell(3, col, text).font = header
    for i, (section, label, value) in enumerate(rows, start=4):
        for col, cell_value in enumerate((section, label, value), start=1):
            cell = ws.cell(i, col, cell_value)
            cell.font = body
            if col == 3:
                cell.alignment = Alignment(horizontal="right")
    for letter, width in (("A", 18), ("B", 30), ("C", 18)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dashboard_pdf(board: Dashboard) -> bytes:
    """The PDF: the page's figures and charts on A4 (core.pdf)."""
    from core.pdf import render_pdf

    with override("zh-hans"):
        return render_pdf("reports/print/dashboard.html", {
            "board": board, "unit": board.unit, "status": board.status,
            "charts": dashboard_charts(board), "title": dashboard_title(board)},
            stylesheets=[PRINT_CSS])
