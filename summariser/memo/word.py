"""Word output for the briefing memo, laid out in the manner of GB/T 9704 official documents.

A4 with the standard margins; title in 小标宋 二号; first-level headings 黑体, second-level
楷体, body 仿宋 三号 (16pt) on a fixed 29pt line, which gives the standard 22 lines a page.
East Asian fonts are set on w:eastAsia (Word ignores font.name for Chinese text) with
Times New Roman for digits and Latin. Where a reader lacks a font, Word substitutes by the
charset and family written into the font table, so 方正小标宋简体 falls back to a GB2312 serif
such as 宋体; LibreOffice goes through fontconfig (scripts/render_memo_check.sh sets aliases).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from summariser.memo.content import Memo, ThemeGroup
from summariser.memo.indicators import (
    INDICATOR_HEADER,
    INDICATORS_NOTE,
    table_rows,
    unstated_line,
)
from summariser.memo.wording import (
    OVERVIEW_NOTE,
    REPORT_OVERVIEWS_HEAD,
    SYNTHESIS_NOTE,
    cn_index,
    entry_text,
    entry_title,
    flag_count_line,
    flag_groups,
    flags_in_appendix,
    memo_sections,
    notable_rest,
    notable_text,
    overview_cells,
    overview_header,
    overview_lines,
    report_overview_text,
    section_note,
    synthesis_failure_line,
    theme_heading,
    theme_reports,
)


@dataclass(frozen=True)
class FontSet:
    """The fonts of each role: East Asian face, and the face for digits and Latin letters."""

    title: str = "方正小标宋简体"
    heading1: str = "黑体"
    heading2: str = "楷体"
    body: str = "仿宋"
    latin: str = "Times New Roman"
    page_number: str = "宋体"


# Font-table entries so Word can substitute sensibly where a face is missing: charset 86 is
# GB2312; altName gives the English name some systems register the face under.
_FONT_TABLE: dict[str, tuple[str | None, str]] = {
    "方正小标宋简体": (None, "roman"),
    "黑体": ("SimHei", "modern"),
    "楷体": ("KaiTi", "modern"),
    "仿宋": ("FangSong", "modern"),
    "宋体": ("SimSun", "auto"),
}

BODY_PT = 16.0  # 三号
TITLE_PT = 22.0  # 二号
TABLE_PT = 10.5  # 五号
LINE_PT = 29.0  # 22 lines in the 225mm type area
INDENT_CHARS = 2

STYLE_TITLE = "Memo Title"
STYLE_H1 = "Memo Heading 1"
STYLE_H2 = "Memo Heading 2"
STYLE_BODY = "Memo Body"
STYLE_CELL = "Memo Table"
STYLE_CELL_LEFT = "Memo Table Left"
STYLE_CELL_HEAD = "Memo Table Header"


def _set_fonts(rpr_parent: Any, east_asia: str, latin: str) -> None:
    """Set ascii/hAnsi to the Latin face and eastAsia to the Chinese face on an rPr owner."""
    rpr = rpr_parent.get_or_add_rPr()
    _set_fonts_on(rpr.get_or_add_rFonts(), east_asia, latin)


def _set_fonts_on(fonts: Any, east_asia: str, latin: str) -> None:
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Quotation marks and similar shared characters then take the East Asian face.
    fonts.set(qn("w:hint"), "eastAsia")


def _para_style(
    doc: DocumentObject,
    name: str,
    *,
    font: str,
    latin: str,
    size: float,
    line: float,
    indent: bool,
    align: WD_ALIGN_PARAGRAPH,
    outline: int | None = None,
    keep_next: bool = False,
) -> None:
    """A paragraph style carrying the whole layout, so runs need no formatting of their own."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    _set_fonts(style.element, font, latin)
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = align
    pf.keep_with_next = keep_next
    ppr = style.element.get_or_add_pPr()
    if indent:
        pf.first_line_indent = Pt(size * INDENT_CHARS)
        # firstLineChars keeps the indent at two characters if the size is changed in Word.
        ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(INDENT_CHARS * 100))
    if outline is not None:
        # Headings show in Word's navigation pane and in a table of contents.
        ppr.append(OxmlElement("w:outlineLvl", {qn("w:val"): str(outline)}))


class _Writer:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.doc: DocumentObject = Document()
        self._page()
        self._styles()
        self._font_table()
        self._style_ids = {
            name: self.doc.styles[name].style_id
            for name in (STYLE_TITLE, STYLE_H1, STYLE_H2, STYLE_BODY)
        }
        self._sect_pr = self.doc.element.body.find(qn("w:sectPr"))

    # -- page, styles, fonts --------------------------------------------------------------

    def _page(self) -> None:
        s = self.doc.sections[0]
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(37), Mm(35)
        s.left_margin, s.right_margin = Mm(28), Mm(26)
        s.footer_distance = Mm(28)
        self._page_number(s.footer.paragraphs[0])

    def _page_number(self, p: Paragraph) -> None:
        """“— 1 —” centred in the footer, 四号 宋体, as GB/T 9704 places page numbers."""
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = [
            OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}),
            OxmlElement("w:instrText", {qn("xml:space"): "preserve"}),
            OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}),
            OxmlElement("w:t"),
            OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}),
        ]
        field[1].text = " PAGE "
        field[3].text = "1"
        for text in ("— ", None, " —"):
            r = p.add_run(text)
            r.font.size = Pt(14)
            _set_fonts(r._element, self.fonts.page_number, self.fonts.latin)
            if text is None:
                for el in field:
                    r._element.append(el)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element, self.fonts.body, self.fonts.latin)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(LINE_PT)
        pf.space_before = pf.space_after = Pt(0)
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        # The template's defaults name theme fonts, which would win over eastAsia in any
        # style that does not set its own; name the faces there too.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
        if rpr is not None:
            fonts = rpr.get_or_add_rFonts()
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
            _set_fonts_on(fonts, self.fonts.body, self.fonts.latin)
            # Chinese as the East Asian language, so shared CJK fonts pick Simplified glyphs.
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "en-US")
            lang.set(qn("w:eastAsia"), "zh-CN")
        f, latin = self.fonts, self.fonts.latin
        center, left, justify = (
            WD_ALIGN_PARAGRAPH.CENTER,
            WD_ALIGN_PARAGRAPH.LEFT,
            WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        for name, font, size, line, indent, align, outline in (
            (STYLE_TITLE, f.title, TITLE_PT, 36.0, False, center, None),
            (STYLE_H1, f.heading1, BODY_PT, LINE_PT, True, justify, 0),
            (STYLE_H2, f.heading2, BODY_PT, LINE_PT, True, justify, 1),
            (STYLE_BODY, f.body, BODY_PT, LINE_PT, True, justify, None),
            (STYLE_CELL, f.body, TABLE_PT, TABLE_PT * 1.5, False, center, None),
            (STYLE_CELL_LEFT, f.body, TABLE_PT, TABLE_PT * 1.5, False, left, None),
            (STYLE_CELL_HEAD, f.heading1, TABLE_PT, TABLE_PT * 1.5, False, center, None),
        ):
            _para_style(
                self.doc,
                name,
                font=font,
                latin=latin,
                size=size,
                line=line,
                indent=indent,
                align=align,
                outline=outline,
                keep_next=outline is not None,
            )
        self.doc.core_properties.author = "summariser"

    def _font_table(self) -> None:
        part = next(
            (r.target_part for r in self.doc.part.rels.values() if r.reltype == RT.FONT_TABLE),
            None,
        )
        if part is None:
            return
        root = parse_xml(part.blob)
        have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
        for name in dict.fromkeys(
            [
                self.fonts.title,
                self.fonts.heading1,
                self.fonts.heading2,
                self.fonts.body,
                self.fonts.page_number,
            ]
        ):
            if name in have:
                continue
            alt, family = _FONT_TABLE.get(name, (None, "auto"))
            font = OxmlElement("w:font", {qn("w:name"): name})
            if alt:
                font.append(OxmlElement("w:altName", {qn("w:val"): alt}))
            for tag, val in (("w:charset", "86"), ("w:family", family), ("w:pitch", "variable")):
                font.append(OxmlElement(tag, {qn("w:val"): val}))
            root.append(font)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # -- blocks ---------------------------------------------------------------------------

    def _add(self, style: str, *runs: tuple[str, bool]) -> None:
        """Append a paragraph of the given style before the section properties.

        Built as XML directly: python-docx looks styles up by name and scans the body for
        each new paragraph, which turns a memo over hundreds of reports quadratic.
        """
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pStyle", {qn("w:val"): self._style_ids[style]}))
        p.append(ppr)
        for text, bold in runs:
            if not text:
                continue
            r = OxmlElement("w:r")
            if bold:
                rpr = OxmlElement("w:rPr")
                rpr.append(OxmlElement("w:b"))
                r.append(rpr)
            t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
            t.text = text
            r.append(t)
            p.append(r)
        self._sect_pr.addprevious(p)

    def title(self, text: str) -> None:
        self._add(STYLE_TITLE, (text, False))
        self._add(STYLE_BODY)

    def heading1(self, text: str) -> None:
        self._add(STYLE_H1, (text, False))

    def heading2(self, text: str) -> None:
        self._add(STYLE_H2, (text, False))

    def body(self, *runs: tuple[str, bool]) -> None:
        self._add(STYLE_BODY, *runs)

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for col, w in zip(t.columns, widths_mm, strict=True):
            col.width = Mm(w)
        # Narrow cell margins so two-character columns fit on one line.
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(
                OxmlElement(f"w:{side}", {qn("w:w"): str(int(Mm(1).twips)), qn("w:type"): "dxa"})
            )
        t._tbl.tblPr.append(margins)
        head = t.rows[0]
        self._cells(head.cells, header, widths_mm, head=True)
        # the header row repeats on every page
        head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader", {qn("w:val"): "true"}))
        if not rows:
            return
        # Lay out one data row with python-docx, then copy its XML for the rest: a few
        # hundred rows would otherwise take seconds of repeated child lookups.
        first = t.add_row()
        self._cells(first.cells, rows[0], widths_mm, head=False)
        template = first._tr
        for row in rows[1:]:
            tr = copy.deepcopy(template)
            for tc, text in zip(tr.iterchildren(qn("w:tc")), row, strict=True):
                tc.find(f"{qn('w:p')}/{qn('w:r')}/{qn('w:t')}").text = text
            t._tbl.append(tr)

    def _cells(
        self, cells: Sequence[_Cell], texts: list[str], widths_mm: list[float], *, head: bool
    ) -> None:
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.width = Mm(widths_mm[i])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            # issuer names read better flush left
            p.style = STYLE_CELL_HEAD if head else (STYLE_CELL_LEFT if i == 1 else STYLE_CELL)
            p.add_run(text)

    def save(self, path: Path, title: str) -> None:
        self.doc.core_properties.title = title
        self.doc.save(str(path))


# Overview column widths, mm; they add up to the 156mm type area.
_WIDTHS = [10.0, 45.0, 11.0, 12.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 18.0]


def write_docx(memo: Memo, path: Path, fonts: FontSet | None = None) -> None:
    """Write the memo as a .docx at path."""
    w = _Writer(fonts or FontSet())
    w.title(memo.title)
    for line in memo.scope:
        w.body((line, False))
    for key, heading in memo_sections(memo):
        w.heading1(heading)
        if key == "overview":
            for line in overview_lines(memo):
                w.body((line, False))
        elif key == "indicators":
            _indicators_docx(w, memo)
        elif key == "synthesis":
            _synthesis(w, memo)
        elif key in ("achievements", "problems", "plans"):
            _themes(w, memo, key)
        elif key == "notable":
            if not memo.notable:
                w.body(("各报告未列出关键数字。", False))
            for n in memo.notable:
                figures, rest = notable_text(n)
                w.body((figures, True), (rest, False))
            if (rest_line := notable_rest(memo)) is not None:
                w.body((rest_line, False))
        elif key == "flags":
            if flags_in_appendix(memo):
                for fc in memo.flag_counts:
                    w.body((flag_count_line(memo, fc), False))
            else:
                _flags(w, memo)
        elif key == "appendix_reports":
            rows = [overview_cells(i, r) for i, r in enumerate(memo.overview, start=1)]
            w.table(overview_header(), rows, _WIDTHS)
            w.body((OVERVIEW_NOTE, False))
            if memo.report_overviews:
                w.body((REPORT_OVERVIEWS_HEAD, False))
                for o in memo.report_overviews:
                    w.body((f"〔{o.report}〕", False), (report_overview_text(o), False))
        elif key == "appendix_flags":
            _flags(w, memo)
    w.save(path, memo.title)


def docx_chars(path: Path) -> int:
    """Characters of text in a written .docx (paragraphs and table cells)."""
    doc = Document(str(path))
    body = sum(len(p.text) for p in doc.paragraphs)
    cells = sum(len(c.text) for t in doc.tables for row in t.rows for c in row.cells)
    return body + cells


def _synthesis(w: _Writer, memo: Memo) -> None:
    if memo.synthesis is None:
        w.body((synthesis_failure_line(memo), False))
        return
    for sentence, reports in zip(memo.synthesis.sentences, memo.synthesis.reports, strict=True):
        w.body((sentence, False), (f"〔{'、'.join(reports)}〕" if reports else "", False))
    if not memo.synthesis.sentences:
        w.body(("模型所写的综合分析没有一句通过核对，已全部删去，见“需要注意的问题”。", False))
    w.body((SYNTHESIS_NOTE, False))


def _themes(w: _Writer, memo: Memo, key: str) -> None:
    groups: tuple[ThemeGroup, ...] = getattr(memo, key)
    if not groups:
        w.body(("各报告均未述及。", False))
    if (note := section_note(memo, key)) is not None:
        w.body((note, False))
    for i, g in enumerate(groups, start=1):
        w.heading2(theme_heading(i, g, key))
        w.body((theme_reports(g), False))
        for e in g.entries:
            title = entry_title(e, key)
            w.body(
                (f"{title}。" if title else "", True),
                (entry_text(e, key), False),
                (f"〔{e.report}〕", False),
            )


def _flags(w: _Writer, memo: Memo) -> None:
    if not memo.flags:
        w.body(("未发现需要注意的问题。", False))
    for i, (kind, items) in enumerate(flag_groups(memo.flags), start=1):
        w.heading2(f"（{cn_index(i)}）{kind}")
        for f in items:
            w.body((f"〔{f.report}〕{f.message}", False))


_INDICATOR_WIDTHS = [40.0, 16.0, 24.0, 18.0, 29.0, 29.0]
"""The comparison table's columns in mm: 156 mm in all, as wide as the overview table."""


def _indicators_docx(w: _Writer, memo: Memo) -> None:
    """The comparison of standard indicators: the table, its note, what no report states."""
    w.table(INDICATOR_HEADER, table_rows(memo.indicators), _INDICATOR_WIDTHS)
    w.body((INDICATORS_NOTE, False))
    if line := unstated_line(memo.indicators):
        w.body((line, False))
