"""Finding a report's metadata (title, issuer, level, year, date) in its text, without a model.

Reports come as they were copied from government web sites: before the title there may be a
site name, a breadcrumb (``首页 > 政务公开 > …``), ``发布时间``/``来源``/``浏览次数`` lines,
a font-size switcher; the title may be split over two lines (issuer, then
``关于2023年…的报告``); some reports have no title at all and name their issuer only in the
signature at the end. The finders below skip such "chrome" lines, and take each field from
the most reliable place that has it:

- issuer: the title; else the signature; else the opening sentence's subject; else a
  ``发布机构``/``来源`` chrome field. Only a name counts (see ``issuers``): a directive that
  reads like one (``按照省委…``) never does. A name without a place (``区司法局``, ``本局``) is
  used, marked partial, only when no source gives a full one; with none, the issuer is missing.
- year (the year reported on, not the year published): the title; else the opening sentence
  (``2024年，…``); else a dated heading; else the signature or publication date (a report dated in
  the first half of a year is about the year before).
- published: the signature date; else a ``发布时间``-style field or a bare date line near the top.

Every finder reads the report's logical lines (``summariser.layout.lines``): a report whose line
breaks were lost (one line: title, chrome, body, signature) arrives cut where they stood, and
each line says whether it is chrome, a heading or part of the closing signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summariser.layout.lines import (
    FURNITURE,
    Layout,
    Line,
    is_chrome,
    read_layout,
    signature_line,
)
from summariser.lexicon.dates import (
    DATE_NUM_RE,
    YEAR,
    YEAR_RE,
    is_date_line,
    parse_date,
    year_of,
)
from summariser.lexicon.divisions import CJK, UNIT
from summariser.lexicon.issuers import (
    DEPT,
    NameStatus,
    accountable,
    admin_level,
    issuer_kind,
    looks_like_org,
    name_status,
    partial_at,
    split_issuers,
)
from summariser.lexicon.markers import LEVEL_1, NUMBERED
from summariser.reading.chrome import CHROME_MARK
from summariser.schema import IssuerStatus, Metadata

_LABELLED_DATE_RE = re.compile(r"(?:发布时间|发布日期|成文日期|日期|时间)[:：]?\s*")
_SOURCE_RE = re.compile(r"(?:发布机构|发布单位|信息来源|文章来源|来源)[:：]\s*([^\s|｜:：]+)")
_TITLE_LABEL_RE = re.compile(r"(?:文章标题|标题|名称)[:：]\s*(\S+)")
_TITLE_TAIL_RE = re.compile(
    r"\s+(?=(?:发布时间|发布日期|信息来源|来源|浏览|点击|阅读|字号|作者|日期|时间)[:：]?)"
)
_TITLE_SPLIT_RE = re.compile(r"\s+[-–—|｜]+\s+|[_|｜]|——|--")
_TITLE_CUT_RE = re.compile(
    rf"法治政府|法治建设|法制|依法行政|法治.{{0,3}}建设|年度|工作|报告|{YEAR}\s*年"
)
_OPENING_SKIP_RE = re.compile(r"在|我|全[区市县省州旗]|本[区市县省州旗]|各|该")
_NAME_CH = rf"(?:(?![局委办厅府院署党组的在、])[{CJK}])"
_ORG_AT_RE = re.compile(rf"(?:中共)?(?:{_NAME_CH}{{1,10}}?{UNIT})+(?:{_NAME_CH}{{0,12}}?{DEPT})?")
_SENTENCE_PUNCT = "。，,；;：:！？!?"
_URL_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9.\-/%?=&#:_~]*")


def _named(s: str) -> bool:
    return name_status(s) == "named"


# --- the title, the opening, the ending -------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The report's title as found: its text (split lines joined) and the lines it spans."""

    text: str
    start: int
    end: int
    issuers: list[str] = field(default_factory=list)


def _clean_title(s: str) -> str:
    m = _TITLE_LABEL_RE.search(s)
    if m:
        s = m.group(1)
    s = _TITLE_TAIL_RE.split(s, maxsplit=1)[0]
    parts = [p for p in _TITLE_SPLIT_RE.split(s) if "报告" in p or "总结" in p]
    s = parts[0] if parts else s
    if is_chrome(s):
        s = _after_chrome(s)
    s = DATE_NUM_RE.sub("", s)
    s = re.sub(r"[（(]全文[）)]|[【】\[\]]", "", s)
    return s.strip(" \u3000")


def _after_chrome(s: str) -> str:
    """A title with the site's chrome run into it (``…门户网站 每日更新www.x.gov.cn某市人民政府
    关于…的报告``, ``首页>政务公开>…某局2024年…报告``): what follows the last chrome mark or web
    address before the title's 报告/总结."""
    words = [i for i in (s.find("报告"), s.find("总结")) if i >= 0]
    limit = min(words) if words else len(s)
    ends = [m.end() for m in _URL_RE.finditer(s, 0, limit)]
    ends += [m.end() for m in CHROME_MARK.finditer(s, 0, limit)]
    rest = s[max(ends) :] if ends else s
    # A breadcrumb ending on a category (首页 > 法治政府建设 > 年度报告) names no report.
    return rest if re.search(r"法治|法制|依法行政", rest) and len(rest) >= 10 else s


def _is_title_line(s: str, words: str) -> bool:
    core = _clean_title(s)
    if is_chrome(core) and not _TITLE_LABEL_RE.search(s):
        return False
    return (
        re.search(words, core) is not None
        and len(core) <= 60
        and not re.search("[。；;！？!?]|如下", core)
        and not NUMBERED.match(core)
    )


def _is_fragment(s: str) -> bool:
    return (
        len(s) <= 40
        and not is_chrome(s)
        and not any(p in s for p in _SENTENCE_PUNCT)
        and not NUMBERED.match(s)
    )


def title_issuers(title: str) -> list[str]:
    """The issuer names a title carries, or [] (``关于2023年法治政府建设情况的报告``).

    The issuer is what precedes ``关于`` or the year (``湖滨区司法局关于…``, ``XX局2024年…``); in a
    title that starts with the year or ``关于`` it is what follows them up to the subject
    (``2024年度XX区法治政府建设情况报告`` gives ``XX区``).
    """
    t = re.sub(r"[【】\[\]〔〕《》]|印发", "", title)
    tail = re.search(r"[（(]([^（）()]+)[）)]$", t)
    if tail and looks_like_org(tail.group(1), place_only=False):
        return split_issuers(tail.group(1))  # 2023年法治政府建设年度报告（XX区司法局）
    m = re.search(rf"关于|{YEAR}\s*年", t)
    head = t[: m.start()] if m else t
    if m and not head.strip():
        rest = re.sub(rf"^(?:关于|{YEAR}\s*年|度|以来)+", "", t[m.start() :])
        cut = _TITLE_CUT_RE.search(rest)
        head = rest[: cut.start()] if cut else ""
    cut = _TITLE_CUT_RE.search(head)
    head = head[: cut.start()] if cut else head
    names = split_issuers(head.strip(" \u3000、，,的"))
    return names if names and all(name_status(n) for n in names) else []


def find_title(lines: list[Line], limit: int = 15) -> Title | None:
    """The title among the first ``limit`` lines, before the opening paragraph.

    A line naming a 报告 wins over one naming a 总结/情况; one or two lines just above it are
    joined to it when it carries no issuer itself and they look like its first half (an issuer
    line, ``XX市人民政府关于2023年度法治政府`` + ``建设情况的报告``).
    """
    head = []
    for line in lines[:limit]:
        if len(line.text) > 60 and line.kind not in FURNITURE and "，" in line.text + ",":
            break  # the opening paragraph: the title comes before it
        head.append(line)
    for words in (r"报告", r"(法治|法制|依法行政).*(总结|情况)"):
        for i, line in enumerate(head):
            if not _is_title_line(line.text, words):
                continue
            fragments, start = [_clean_title(line.text)], line.start
            issuers = title_issuers(fragments[0])
            j = i
            while j > 0 and i - j < 2 and _is_fragment(prev := head[j - 1].text):
                prev_is_org = looks_like_org(prev, place_only=False)
                if issuers and not (prev_is_org and looks_like_org(fragments[0], place_only=False)):
                    break  # only a stack of issuer lines (a joint signature) joins a named title
                both = prev_is_org and looks_like_org(fragments[0], place_only=False)
                fragments[:0] = [prev, " "] if both else [prev]
                start, j = head[j - 1].start, j - 1
                issuers = title_issuers("".join(fragments))
            text = "".join(fragments)
            return Title(text, start, line.end, issuers)
    return None


def find_opening(lines: list[Line], after: int = 0) -> Line | None:
    """The first body paragraph after offset ``after``: a long non-chrome line with a comma."""
    for line in lines:
        if line.start < after or line.kind in FURNITURE or NUMBERED.match(line.text):
            continue
        if len(line.text) >= 30 and re.search("[，,]", line.text):
            return line
    return None


def opening_year(s: str) -> int | None:
    """The year an opening sentence starts from (``2024年，…``, ``2023年以来``, ``…，2023年，``) or
    announces (``现将2023年法治政府建设情况报告如下``)."""
    first = re.split("[。！？]", s, maxsplit=1)[0]
    m = (
        re.match(rf"\s*({YEAR})\s*年", first)
        or re.search(rf"({YEAR})\s*年(?:度|以来|来)?[，,、]", first)
        or re.search(
            rf"现将({YEAR})\s*年度?[^，,。]{{0,20}}(?:情况|工作)[^，,。]{{0,6}}报告如下", first
        )
    )
    return year_of(m.group(1)) if m else None


def opening_issuer(s: str) -> tuple[str, NameStatus] | None:
    """The subject of an opening's first sentence (``2023年，湖滨区司法局在区委…``) and whether it
    is a full or a partial name (``2023年，市生态环境局…``); a full name anywhere in the sentence
    wins over a partial one. Clauses that are directives (``按照省委、省政府部署``) are skipped."""
    first = re.split("[。！？]", s, maxsplit=1)[0]
    partial: str | None = None
    for clause in re.split(r"[，,；;：:]", first):
        clause = re.sub(rf"^\s*(?:{YEAR}\s*年(?:度|以来)?|今年以来|一年来)", "", clause).strip()
        if not clause or _OPENING_SKIP_RE.match(clause):
            continue
        m = _ORG_AT_RE.match(clause)
        if m and _named(m.group()):
            return m.group(), "named"
        partial = partial or (None if m else partial_at(clause))
    return (partial, "partial") if partial else None


# --- putting it together ----------------------------------------------------------------------


def _front_fields(lines: list[Line], before: int) -> tuple[str | None, list[str]]:
    """A publication date and 发布机构/来源 names from chrome lines before offset ``before``.

    A date labelled 发布时间/发布日期/成文日期… wins over one standing bare in a chrome line; full
    names come before partial ones (``来源：区司法局`` beside ``发布机构：XX区司法局``).
    """
    labelled: list[str] = []
    bare: list[str] = []
    sources = []
    for line in lines:
        if line.start >= before:
            break
        if line.kind != "chrome":
            continue
        if date := parse_date(line.text):
            is_labelled = _LABELLED_DATE_RE.search(line.text) or is_date_line(line.text)
            (labelled if is_labelled else bare).append(date)
        sources += [m.group(1) for m in _SOURCE_RE.finditer(line.text)]
    names = sorted((s for s in sources if name_status(s)), key=lambda s: name_status(s) != "named")
    return next(iter(labelled + bare), None), names


def _refine_place(issuers: list[str], text: str) -> list[str]:
    """A bare place from a title (``XX区``) becomes ``XX区人民政府`` when the text names it so."""
    if len(issuers) == 1 and re.fullmatch(rf".+{UNIT}", issuers[0]):
        gov = issuers[0] + "人民政府"
        if gov in text:
            return [gov]
    return issuers


def _heading_year(lines: list[Line]) -> int | None:
    for line in lines:
        m = re.match(rf"{LEVEL_1}\s*({YEAR})\s*年", line.text)
        if m:
            year = year_of(m.group(1))
            return year - 1 if re.search("安排|打算|计划|思路|重点", line.text) else year
    return None


def _under_title(lines: list[Line], title: Title | None, before: int) -> list[str]:
    """Issuer names on their own line between the title and the body, as official documents
    print them (``2023年度法治政府建设情况报告`` / ``中共XX县委 XX县人民政府`` / the date)."""
    if title is None:
        return []
    for line in lines:
        if title.end <= line.start < before and (signed := signature_line(line.text)):
            if names := [n for name in signed[0] for n in split_issuers(name)]:
                return names
    return []


def _above_title(lines: list[Line], title: Title | None) -> list[str]:
    """Issuer names on a line of their own above the title, parted from it by page chrome
    (``XX县市场监督管理局`` / ``时间：2024-02-01 来源：本站`` / ``2023年度法治政府建设工作报告``)."""
    if title is None:
        return []
    above = [line for line in lines if line.end <= title.start]
    while above and above[-1].kind == "chrome":
        above.pop()
        if (
            above
            and above[-1].kind != "chrome"
            and looks_like_org(above[-1].text, place_only=False)
        ):
            return split_issuers(above[-1].text)
    return []


def _choose_issuers(sources: list[list[str]]) -> tuple[list[str], IssuerStatus]:
    """The first source, in order of trust, that gives a full name; else the first that gives a
    partial one (``区司法局``); else none."""
    for wanted in ("named", "partial"):
        for names in sources:
            if kept := [n for n in names if name_status(n) == wanted]:
                return kept, "named" if wanted == "named" else "partial"
    return [], "missing"


def find_metadata(text: str, layout: Layout | None = None) -> Metadata:
    """Title, issuer, level, kind, reported year and date of a report (or of its opening).

    Args:
        text: the report text as read; web-page chrome around the title is tolerated.
        layout: the text's lines as the layout pass read them (read here when not given).

    Returns:
        The metadata; fields the text does not support are None.
    """
    layout = layout or read_layout(text)
    lines, ending = list(layout.lines), layout.ending
    title = find_title(lines)
    opening = find_opening(lines, after=title.end if title else 0)
    body_start = opening.start if opening else (title.end if title else 0)
    chrome_date, sources = _front_fields(lines, body_start)

    said = opening_issuer(opening.text) if opening else None
    issuers, status = _choose_issuers(
        [
            title.issuers if title else [],
            _under_title(lines, title, body_start),
            ending.signers,
            _above_title(lines, title),
            [said[0]] if said else [],
            sources[:1],
        ]
    )
    if status == "named":
        issuers = _refine_place(issuers, text)
    issuer = accountable(issuers)

    year = None
    if title and (m := YEAR_RE.search(title.text)):
        year = year_of(m.group(1))
    if year is None and opening:
        year = opening_year(opening.text)
    if year is None:
        year = _heading_year(lines)
    published = ending.date or chrome_date
    if year is None and published:
        y, mo = int(published[:4]), int(published[5:7])
        year = y - 1 if mo <= 6 else y
    return Metadata(
        title=title.text if title else None,
        issuer=issuer,
        level=admin_level(issuer),
        issuer_kind=issuer_kind(issuer),
        issuer_status=status,
        year=year,
        published=published,
    )


def issuer_flag(meta: Metadata) -> str | None:
    """The reader's note when the report does not name its issuer in full, else None."""
    if meta.issuer_status == "missing":
        return "原文未写明报告主体（发布机关），主体留空"
    if meta.issuer_status == "partial":
        return f"原文只写了简称“{meta.issuer}”，未写明所属地方"
    return None
