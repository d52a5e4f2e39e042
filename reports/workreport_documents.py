"""The yearly work report as files: a .docx to edit in Word (python-docx) and a PDF to
print (core.pdf, the one renderer), both laid out as GB/T 9704-2012 asks — A4, the margins
and text block, the title in 小标宋 二号, the text in 仿宋 三号, the headings 一、（一）1.（1）,
the signature and the date four characters from the right margin. The fonts and sizes
come from core.pdf, where they are named once: the .docx names the government fonts, the
PDF uses the font this machine has."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core import pdf

from .workreport_selectors import WorkReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INDENT_CHARS = 2  # a paragraph's first line
DATE_RIGHT_CHARS = 4  # the date stands four characters in from the right margin


def _font(run, font: pdf.DocumentFont, size: float, *, bold: bool = False) -> None:
    """The run in ``font`` (its Latin and its East Asian face) at ``size`` points."""
    run.font.name = font.docx
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font.docx)


def _paragraph(document, text: str, font: pdf.DocumentFont, size: float, *,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, style=None,
               right_chars: int = 0):
    paragraph = document.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pdf.LINE_PT if size <= pdf.BODY_PT else size * 1.5)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(pdf.BODY_PT * INDENT_CHARS) if indent else Pt(0)
    if right_chars:
        fmt.right_indent = Pt(pdf.BODY_PT * right_chars)
    _font(paragraph.add_run(text), font, size)
    return paragraph


def work_report_docx(report: WorkReport) -> bytes:
    """The report as a Word document."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(pdf.PAGE_MM[0]), Mm(pdf.PAGE_MM[1])
    margins = pdf.MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = pdf.BODY_FONT.docx, Pt(pdf.BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"),
                                                            pdf.BODY_FONT.docx)
    document.core_properties.title = report.title
    document.core_properties.author = report.signature

    _paragraph(document, report.title, pdf.TITLE_FONT, pdf.TITLE_PT,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if report.subtitle:
        _paragraph(document, report.subtitle, pdf.BODY_FONT, pdf.BODY_PT,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "", pdf.BODY_FONT, pdf.BODY_PT, indent=False)
    for block in report.blocks:
        if block.is_heading:
            _paragraph(document, block.numbered, pdf.HEADING_FONTS[block.level], pdf.BODY_PT,
                       style=f"Heading {block.level}")
        else:
            _paragraph(document, block.text, pdf.BODY_FONT, pdf.BODY_PT)
    _paragraph(document, "", pdf.BODY_FONT, pdf.BODY_PT, indent=False)
    if report.signature:
        _paragraph(document, report.signature, pdf.BODY_FONT, pdf.BODY_PT,
                   align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=DATE_RIGHT_CHARS)
    _paragraph(document, report.date, pdf.BODY_FONT, pdf.BODY_PT,
               align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=DATE_RIGHT_CHARS)
    for name in (f"Heading {n}" for n in range(1, 5)):
        style = document.styles[name]  # Word's built-in look (blue, larger) undone
        style.font.color.rgb = None
        style.font.bold = False
        style.font.italic = False
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def work_report_pdf(report: WorkReport) -> bytes:
    """The report as a PDF (core.pdf, with the official document's stylesheet)."""
    return pdf.render_pdf("reports/print/work_report.html", {"report": report},
                          stylesheets=[pdf.DOCUMENT_CSS])
