"""Reading input files into text, keeping the original characters so spans point into them.

Plain text and Markdown keep the decoded characters exactly as they are in the file. Word, PDF
and saved web pages are reduced to their text by a deterministic extraction (a page's article by
`summariser.reading.web_pages`), and that text is what every span indexes. Anything unusable is refused with a one-line `InputError` that starts
with the path.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.errors import InputError
from summariser.reading.web_pages import html_to_text
from summariser.reading.wrapping import unwrap

if TYPE_CHECKING:
    from docx.table import Table

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
DOCX_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES | HTML_SUFFIXES

# A 法治政府建设年度报告 is 5,000-20,000 characters; ten times the longest is still a report,
# more is a compilation or the wrong file, and would not fit a model's context anyway.
MAX_TEXT_CHARS = 200_000
# Checked before reading, so a stray video or disk image is refused without loading it.
MAX_FILE_BYTES = 20 * 1024 * 1024

_HINT_SUFFIX = {
    ".doc": "save it as .docx",
    ".wps": "save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".mht": "save the page as .html",
    ".mhtml": "save the page as .html",
    ".ofd": "export it as PDF with text",
    ".jpg": "OCR it first",
    ".jpeg": "OCR it first",
    ".png": "OCR it first",
    ".tif": "OCR it first",
    ".tiff": "OCR it first",
}


@dataclass(frozen=True)
class Document:
    """A report as read: its text (every span indexes this), and how it was decoded."""

    path: Path
    text: str
    format: str
    encoding: str | None
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stem(self) -> str:
        return self.path.stem


def read_document(path: Path) -> Document:
    """Read a report file: .txt/.md, .docx, .pdf with a text layer, or a saved .html/.htm page.

    Args:
        path: the file to read.

    Returns:
        The document; `format` is one of "txt", "md", "docx", "pdf", "html", and `encoding` is
        the codec the text was decoded with (None for .docx and .pdf).

    Raises:
        InputError: the file is missing, a folder, of an unsupported type, empty, binary,
            undecodable, corrupt, a scanned PDF, or longer than the stated limits.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(no suffix)'!r}; "
            f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}",
            hint=_HINT_SUFFIX.get(suffix, ""),
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path}: too large ({size / 1024 / 1024:.1f} MB on disk; "
                f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MB)"
            )
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    if not data:
        raise InputError(f"{path}: the file is empty (0 bytes)")
    digest = hashlib.sha256(data).hexdigest()

    encoding: str | None
    if suffix in TEXT_SUFFIXES:
        _refuse_known_binary(data, path)
        if len(data) > 4 * (MAX_TEXT_CHARS + 1):  # no encoding takes more than 4 bytes a character
            raise InputError(
                f"{path}: too long (over the limit of {MAX_TEXT_CHARS:,} characters of text)",
                hint="pass only the report itself",
            )
        text, encoding = _decode_text(data, path)
        fmt = "md" if suffix in {".md", ".markdown"} else "txt"
    elif suffix in DOCX_SUFFIXES:
        text, encoding, fmt = _docx_text(data, path), None, "docx"
    elif suffix in PDF_SUFFIXES:
        text, encoding, fmt = _pdf_text(data, path), None, "pdf"
    else:
        _refuse_known_binary(data, path)
        markup, encoding = _decode_html(data, path)
        text, fmt = html_to_text(markup), "html"

    if not text.strip():
        what = "no article text" if fmt == "html" else "no text (only whitespace)"
        raise InputError(f"{path}: the file has {what}")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{path}: too long ({len(text):,} characters of text; the limit is {MAX_TEXT_CHARS:,})",
            hint="pass only the report itself",
        )
    return Document(path=path, text=text, format=fmt, encoding=encoding, sha256=digest)


# --- Plain text: strict decodes first, then the plausible Chinese reading -------------------

# Other formats that turn up under a text suffix, by their first bytes.
_MAGIC = [
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls?)"),
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
]

_BOMS = [  # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# The most frequent characters of modern Chinese, simplified and traditional. Reading GB18030
# bytes as Big5 (or the reverse, or UTF-16 with the wrong byte order) gives rare characters,
# so the share of these tells the right reading from the wrong one by a wide margin.
_FREQUENT_HAN = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提"
    "直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口"
    "东导器压志世金增争济阶思术极交受联认六共权收证改清己美再采转更单风切打白教速花带安场身车例真"
    "务具万每目至达走积示议声报完类八离华名确才科张信马节话整空元况今集传土许步群广记需段研界林律"
    "且究观越织装影算低持音众书布复容须际商非验连断深难近千周委素技备半办青省列习响约支般史感劳便"
    "团往维划选标写存候亲快效院查型按格养易置派层片始却专状育厂识适属包火住调满县局照参红细引听该"
    "价严案件审执罚诉讼复议监督依行政执法制度"
    "這個們國時來為們會發動產種過說後學經進著裡電現實兩體機當點從業應開還關間樣與內數問條沒結題"
    "黨員設總長頭資邊級圖統較將組見計別論運農幾區強決戰則據處隊給門導壓東熱領規濟階術極聯認權收"
    "證轉單風帶場車務萬達積議聲報類離華確張馬節話傳許廣記需斷難備辦習響約勞團維劃選標寫親效層"
    "專狀廠識適屬調滿縣參紅細聽該價嚴審執罰訴訟複監督義質氣變問題對於與歷"
)
_CJK_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』〔〕　％")
_MIN_PLAUSIBLE = 0.25
_PLAUSIBILITY_SAMPLE = 50_000  # characters; a wrong reading shows long before that


def _refuse_known_binary(data: bytes, path: Path) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{path}: is {what}, not text", hint="check the file and its suffix")


def _plausibility(text: str) -> float:
    """Share of the non-ASCII characters that real Chinese text is mostly made of, in [0, 1].

    ASCII reads the same in every candidate encoding, so only the rest tells them apart.
    """
    good = total = 0
    for ch in text[:_PLAUSIBILITY_SAMPLE]:
        if ch < "\x80":
            continue
        total += 1
        if ch in _FREQUENT_HAN or ch in _CJK_PUNCT:
            good += 1
        elif unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn"):
            good -= 4  # controls, private use and unassigned code points: a wrong reading
    return max(good, 0) / total if total else 1.0


def _looks_binary(text: str) -> bool:
    """Too many control characters (beyond tab, newlines, form feed and DOS end-of-file)."""
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1a"
    )
    return controls > max(2, len(text) // 200)


def _decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file, returning the text and the codec used; never replaces characters."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec, path)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{path}: starts with a {codec} byte-order mark but is not valid {codec}"
                ) from err
    if b"\x00" not in data:
        try:
            return _checked(data.decode("utf-8"), "utf-8", path)
        except UnicodeDecodeError:
            pass
    # UTF-16 without a byte-order mark has NULs wherever there is ASCII (digits, newlines);
    # GB18030 and Big5 never do. Score every strict reading and keep the most plausible.
    codecs_to_try = ["gb18030", "cp950"] if b"\x00" not in data else []
    if len(data) % 2 == 0:
        codecs_to_try += ["utf-16-le", "utf-16-be"]
    readings: list[tuple[float, str, str]] = []
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        readings.append((_plausibility(text), codec, text))
    if readings:
        # max() keeps the first of equal scores: GB18030 wins a tie, as mainland files are GB.
        score, codec, text = max(readings, key=lambda r: r[0])
        if score >= _MIN_PLAUSIBLE:
            return _checked(text, codec, path)
    if b"\x00" in data:
        raise InputError(f"{path}: contains NUL bytes and is not UTF-16 text; a binary file?")
    return _checked(*_guess_encoding(data, path), path)


def _guess_encoding(data: bytes, path: Path) -> tuple[str, str]:
    """Last resort for encodings other than the Chinese ones (Shift-JIS, Windows-1252...)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{path}: not text in any known encoding (tried UTF-8, UTF-16, GB18030, Big5)",
            hint="save it as UTF-8",
        )
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(f"{path}: cannot decode the text (best guess {best.encoding})") from err


def _checked(text: str, codec: str, path: Path) -> tuple[str, str]:
    if _looks_binary(text):
        raise InputError(f"{path}: is not a text file (control characters found); a binary file?")
    return text, codec


# --- Word .docx -------------------------------------------------------------------------------


def _docx_text(data: bytes, path: Path) -> str:
    """Paragraphs in body order, one per line; each table row is a line of tab-separated cells.

    Empty paragraphs are left out; headers, footers, footnotes and text boxes are not read.
    """
    from docx import Document as open_docx
    from docx.table import Table

    if data.startswith(_MAGIC[1][0]):
        raise InputError(
            f"{path}: is an old .doc file or a password-protected .docx",
            hint="save it as an unprotected .docx",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"{path}: is not a valid .docx (not a ZIP package); corrupt or renamed?")
    try:
        document = open_docx(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            elif block.text.strip():
                lines.append(block.text)
    except InputError:
        raise
    except Exception as err:  # python-docx raises many kinds on a damaged package
        raise InputError(f"{path}: is not a valid .docx ({type(err).__name__}: {err})") from err
    return "\n".join(lines)


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell comes once per grid column it spans; read it once.
            if cell._tc is previous:
                continue
            previous = cell._tc
            text = " ".join(cell.text.split("\n")).strip()
            if text:
                cells.append(text)
        if cells:
            lines.append("\t".join(cells))
    return lines


# --- PDF with a text layer --------------------------------------------------------------------


def _pdf_text(data: bytes, path: Path) -> str:
    """Page texts as pypdf extracts them, joined by newlines."""
    from pypdf import PdfReader

    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: is not a PDF (no %PDF header); corrupt or renamed?")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                f"{path}: the PDF is password-protected", hint="save an unprotected copy"
            )
        pages = [(page.extract_text() or "").strip("\n") for page in reader.pages]
    except InputError:
        raise
    except Exception as err:  # pypdf raises many kinds on a damaged file
        raise InputError(f"{path}: cannot read the PDF ({type(err).__name__}: {err})") from err
    text = unwrap("\n".join(pages))
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        raise InputError(f"{path}: has no text layer (scanned PDF?); OCR it first")
    unreadable = sum(
        1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc")
    )
    if unreadable > len(visible) // 3:
        raise InputError(
            f"{path}: the PDF's text layer cannot be decoded (fonts without a Unicode map); "
            "OCR it first"
        )
    return text


# --- Saved web pages --------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Pages labelled gb2312 routinely contain GBK characters; GB18030 reads all of them.
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "cp950",
}


def _decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """Decode by byte-order mark, then the declared charset, then as a text file would be."""
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            label = declared.group(1).decode("ascii").lower()
            codec = _CHARSET_ALIASES.get(label, label)
            try:
                codecs.lookup(codec)
                return _checked(data.decode(codec), codec, path)
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong label is common on re-saved pages: detect instead
    return _decode_text(data, path)
