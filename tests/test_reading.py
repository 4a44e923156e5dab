"""Reading every input a user's folder has: encodings, Word, PDF, saved web pages, bad files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from summariser.errors import InputError
from summariser.reading import documents as reading
from summariser.reading.documents import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    SUPPORTED_SUFFIXES,
    Document,
    read_document,
)
from summariser.reading.inputs import duplicate_groups, find_inputs

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "examples" / "reports"
DATA = Path(__file__).parent / "data" / "reading"

HESHAN = (REPORTS / "heshan-2024.txt").read_text(encoding="utf-8")
HESHAN_SENTENCE = "2024年以来,公示行政执法结果信息521项,经法制审核行政执法决定事项482项。"
TRADITIONAL = (DATA / "heshan-2024-traditional.txt").read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_document(path)
    message = caught.value.one_line()
    assert message.startswith(str(path)), message
    assert "\n" not in message
    return message


# --- Plain text in every encoding ------------------------------------------------------------


def test_the_sample_sentence_is_in_the_report() -> None:
    assert HESHAN_SENTENCE in HESHAN


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (HESHAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + HESHAN.encode("utf-8"), "utf-8-sig"),
        (HESHAN.encode("gbk"), "gb18030"),
        (HESHAN.encode("gb18030"), "gb18030"),
        (HESHAN.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + HESHAN.encode("utf-16-be"), "utf-16"),
        (HESHAN.encode("utf-16-le"), "utf-16-le"),
        (HESHAN.encode("utf-16-be"), "utf-16-be"),
        (HESHAN.encode("utf-32"), "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-bom-le", "utf16-bom-be", "utf16le", "utf16be"]
    + ["utf32"],
)
def test_a_report_survives_every_encoding(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    doc = read_document(write(tmp_path, "heshan-2024.txt", encoded))
    assert doc.text == HESHAN
    assert doc.encoding == encoding
    assert doc.format == "txt"


def test_big5_traditional_report_text_is_read_as_big5(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "report.txt", TRADITIONAL.encode("big5")))
    assert doc.text == TRADITIONAL
    assert doc.encoding == "cp950"
    assert "公示行政執法結果信息521項" in doc.text


def test_the_same_bytes_read_as_the_wrong_encoding_would_be_garbage() -> None:
    # Guards the test above: Big5 bytes also decode as GB18030, so the choice is a real one.
    assert TRADITIONAL.encode("big5").decode("gb18030") != TRADITIONAL


def test_short_gbk_sentences_that_also_decode_as_big5_stay_gbk(tmp_path: Path) -> None:
    lines = [line for line in HESHAN.split("。") if line.strip()]
    ambiguous = 0
    for i, sentence in enumerate(lines):
        data = (sentence + "。").encode("gbk")
        try:
            data.decode("cp950")
        except UnicodeDecodeError:
            continue
        ambiguous += 1
        doc = read_document(write(tmp_path, f"s{i}.txt", data))
        assert doc.text == sentence + "。"
        assert doc.encoding == "gb18030"
    assert ambiguous >= 5


def test_text_is_kept_exactly_as_decoded(tmp_path: Path) -> None:
    text = "标题\r\n\r\n　　正文第一段，共 3 项。  \r\n\t第二段\n"
    doc = read_document(write(tmp_path, "r.md", text.encode("gb18030")))
    assert doc.text == text
    assert doc.format == "md"


def test_document_carries_path_name_stem_and_file_hash(tmp_path: Path) -> None:
    data = HESHAN.encode("utf-8")
    doc = read_document(write(tmp_path, "heshan-2024.txt", data))
    assert doc.name == "heshan-2024.txt"
    assert doc.stem == "heshan-2024"
    import hashlib

    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_a_latin_text_falls_back_to_detection(tmp_path: Path) -> None:
    text = "Rapport annuel: le café et la crème brûlée sont arrivés à l'hôtel de ville.\n" * 5
    doc = read_document(write(tmp_path, "fr.txt", text.encode("cp1252")))
    assert doc.text == text


# --- Word --------------------------------------------------------------------------------------


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("赫山区2024年法治政府建设年度报告", level=1)
    document.add_paragraph(HESHAN.split("\n")[0])
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows,
        [("项目", "数量"), ("行政执法结果信息", "521项"), ("法制审核", "482项")],
        strict=True,
    ):
        row.cells[0].text = label
        row.cells[1].text = value
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并单元格"
    merged.cell(0, 2).text = "3项"
    document.add_paragraph(HESHAN_SENTENCE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "report.docx", make_docx()))
    assert doc.format == "docx"
    assert doc.encoding is None
    assert doc.text.split("\n") == [
        "赫山区2024年法治政府建设年度报告",
        HESHAN.split("\n")[0],
        "项目\t数量",
        "行政执法结果信息\t521项",
        "法制审核\t482项",
        "合并单元格\t3项",
        HESHAN_SENTENCE,
    ]


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "bad.docx", b"this is not a word file at all"))
    assert "not a valid .docx" in message


def test_docx_that_is_a_zip_without_a_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    message = error_of(write(tmp_path, "bad.docx", buffer.getvalue()))
    assert "not a valid .docx" in message


def test_docx_that_is_an_old_doc(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    message = error_of(write(tmp_path, "old.docx", ole))
    assert "old .doc" in message and "save it as an unprotected .docx" in message


def test_docx_with_no_text(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert "no text" in error_of(write(tmp_path, "blank.docx", buffer.getvalue()))


# --- PDF ---------------------------------------------------------------------------------------


def utf16_hex(text: str) -> str:
    return "".join(f"{ord(ch):04X}" for ch in text)


def make_pdf(pages: list[list[str]], *, image: bool = False) -> bytes:
    """A minimal PDF whose text is drawn in a non-embedded CID font with a ToUnicode map.

    No font file is needed: text extraction reads the ToUnicode map, so the test does not
    depend on fonts installed on the machine. With `image`, pages carry only a picture.
    """
    chars = sorted({ch for lines in pages for line in lines for ch in line})
    bfchar = "\n".join(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(content: bytes, extra: str = "") -> bytes:
        return f"<< /Length {len(content)} {extra}>>\nstream\n".encode() + content + b"\nendstream"

    catalog = add(b"")  # filled in below, once the page tree's number is known
    pages_id = add(b"")
    tounicode = add(stream(cmap))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cidfont = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        + f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        + f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {tounicode} 0 R >>".encode()
    )
    picture = add(
        stream(
            b"\x80",
            "/Type /XObject /Subtype /Image /Width 1 /Height 1 "
            "/ColorSpace /DeviceGray /BitsPerComponent 8 ",
        )
    )
    kids = []
    for lines in pages:
        if image:
            content = b"q 400 0 0 600 100 100 cm /Im1 Do Q"
        else:
            content = b"".join(
                f"BT /F1 12 Tf 72 {760 - 20 * i} Td <{utf16_hex(line)}> Tj ET\n".encode()
                for i, line in enumerate(lines)
            )
        contents = add(stream(content))
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {picture} 0 R >> >> "
                f"/Contents {contents} 0 R >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_layer_pages_joined(tmp_path: Path) -> None:
    pages = [
        ["赫山区2024年法治政府建设年度报告", "一、推进法治政府建设的主要举措和成效"],
        [HESHAN_SENTENCE],
    ]
    doc = read_document(write(tmp_path, "report.pdf", make_pdf(pages)))
    assert doc.format == "pdf"
    assert doc.encoding is None
    assert doc.text.split("\n") == [*pages[0], *pages[1]]


def test_pdf_without_text_is_refused_as_scanned(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "scan.pdf", make_pdf([[], []], image=True)))
    assert "has no text layer (scanned PDF?); OCR it first" in message


def test_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "bad.pdf", "<html>登录已过期</html>".encode()))
    assert "is not a PDF" in message


def test_pdf_that_is_truncated(tmp_path: Path) -> None:
    data = make_pdf([[HESHAN_SENTENCE]])
    message = error_of(write(tmp_path, "cut.pdf", data[: len(data) // 3]))
    assert "PDF" in message


# --- Saved web pages ---------------------------------------------------------------------------


def test_gbk_gov_page_keeps_title_date_and_article_only() -> None:
    doc = read_document(DATA / "gov-page-gbk.htm")
    assert doc.format == "html"
    assert doc.encoding == "gb18030"  # the page says gb2312; GB18030 reads every GBK extra too
    lines = doc.text.split("\n")
    assert lines[0] == "赫山区2024年法治政府建设年度报告"
    assert lines[1] == "发布时间：2025-03-31 10:21　来源：区司法局"
    assert lines[2].startswith("2024年，在市委、市人民政府的领导下")
    # The source line break between two Chinese characters is not a space.
    assert "水平，我区连续三年获评" in lines[2]
    assert "公示行政执法结果信息521项" in doc.text
    assert "行政执法结果信息\t521项" in lines
    assert lines[-1] == "法制审核决定事项\t482项"
    for chrome in [
        "首页",
        "当前位置",
        "政府信息公开指南",
        "打印本页",
        "关闭窗口",
        "分享到",
        "微信",
        "主办",
        "字号",
        "脚本",
        "1970",
        "text-indent",
    ]:
        assert chrome not in doc.text, chrome


def test_html5_page_without_known_ids_uses_the_densest_block() -> None:
    doc = read_document(DATA / "gov-page-html5.html")
    assert doc.encoding == "utf-8"
    assert doc.text.split("\n") == [
        "关于2023年法治政府建设情况的报告",
        "发布日期：2024-02-20　来源：湖滨区司法局",
        "2023年，湖滨区司法局在区委、区政府的正确领导下，坚持以习近平法治思想为指引，全面贯彻落实"
        "党的二十大精神，扎实做好法律服务和法治保障各项工作，推动法治政府建设取得明显成效。",
        "一、深入学习贯彻习近平法治思想，切实履行推进法治政府建设工作职责",
        "一是深入学习宣传贯彻党的二十大精神。先后召开党组会20场次、局党组理论学习中心组学习会议12场次。",
    ]


def test_html_title_falls_back_to_the_title_element(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='gbk'><title>某县2023年法治政府建设年度报告_某县人民政府</title>"
        "</head><body><div class='nav'>首页 政务公开</div><div class='TRS_Editor'>"
        "<p>　　一年来，全县共办理行政复议案件35件。</p><p>二、存在的不足</p></div></body></html>"
    )
    doc = read_document(write(tmp_path, "page.html", page.encode("gbk")))
    assert (
        doc.text
        == "某县2023年法治政府建设年度报告\n一年来，全县共办理行政复议案件35件。\n二、存在的不足"
    )


def test_html_prefers_the_innermost_container_holding_the_article(tmp_path: Path) -> None:
    paragraphs = [line for line in HESHAN.split("\n")[:4] if line]
    page = (
        "<html><body><div class='content'>"
        "<div class='list-left'><a>赫山区召开全面依法治区工作会议</a></div>"
        "<div class='article'>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
        "</div></body></html>"
    )
    doc = read_document(write(tmp_path, "page.html", page.encode("utf-8")))
    assert doc.text == "\n".join(paragraphs)


def test_html_with_a_wrong_charset_label_is_detected(tmp_path: Path) -> None:
    page = (
        "<html><head><meta charset='utf-8'></head>"
        "<body><div id='content'><p>全年办理案件12件。</p></div></body></html>"
    )
    doc = read_document(write(tmp_path, "page.htm", page.encode("gbk")))
    assert doc.encoding == "gb18030"
    assert doc.text == "全年办理案件12件。"


def test_html_with_no_article_text(tmp_path: Path) -> None:
    page = (
        b"<html><head><title></title><script>location.href='/x'</script></head><body></body></html>"
    )
    assert "no article text" in error_of(write(tmp_path, "redirect.html", page))


@pytest.mark.parametrize(
    ("name", "report", "kept"),
    [
        ("gov-page-xxgk.html", "zhengxiang-2024", 8),  # 政府信息公开 page: metadata table above
        ("gov-page-br.htm", "baicheng-2023", 6),  # old CMS: nested tables, <br> between lines
        ("gov-page-styled.html", "huangzhong-2024", 8),  # <p><span style>, a long sidebar
    ],
)
def test_gov_pages_keep_every_paragraph_on_its_own_line(name: str, report: str, kept: int) -> None:
    """The pages wrap a report's opening paragraphs (bench/bench_reading.py wrote them)."""
    lines = [ln.strip() for ln in (REPORTS / f"{report}.txt").read_text("utf-8").split("\n")]
    body = [ln for ln in lines[1:] if ln and "发布时间" not in ln and "门户网站" not in ln][:kept]
    text = read_document(DATA / name).text
    out = [ln.strip() for ln in text.split("\n")]
    for paragraph in body:
        assert paragraph in out, paragraph
    for chrome in ("上一篇", "下一篇", "版权所有", "ICP备", "当前位置", "您现在的位置", "热点推荐"):
        assert chrome not in text, chrome


# --- Bad input ---------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.txt").endswith("no such file")


def test_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    assert "is a folder" in error_of(folder)


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", "\u3000\u3000\n".encode("gbk")])
def test_empty_or_whitespace_only(tmp_path: Path, data: bytes) -> None:
    message = error_of(write(tmp_path, "empty.txt", data))
    assert ("empty (0 bytes)" if not data else "no text (only whitespace)") in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)), "a JPEG image"),
        (b"PK\x03\x04" + bytes(range(256)), "a ZIP archive"),
        (b"%PDF-1.4\n" + bytes(range(256)), "a PDF"),
        (bytes(range(256)) * 4, "NUL bytes"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
    ids=["png", "jpeg", "zip", "pdf", "nul", "controls"],
)
def test_binary_under_a_text_name(tmp_path: Path, data: bytes, words: str) -> None:
    message = error_of(write(tmp_path, "report.txt", data))
    assert words in message


def test_a_docx_saved_as_txt_says_so(tmp_path: Path) -> None:
    assert "ZIP archive (a .docx" in error_of(write(tmp_path, "report.txt", make_docx()))


@pytest.mark.parametrize(
    ("name", "hint"), [("report.doc", "save it as .docx"), ("report.xlsx", ""), ("README", "")]
)
def test_unsupported_suffix_lists_the_supported_ones(tmp_path: Path, name: str, hint: str) -> None:
    message = error_of(write(tmp_path, name, b"text"))
    assert "unsupported file type" in message
    for suffix in (".txt", ".md", ".docx", ".pdf", ".html", ".htm"):
        assert suffix in message
    assert hint in message


def test_too_many_characters(tmp_path: Path) -> None:
    data = ("一" * (MAX_TEXT_CHARS + 1)).encode("utf-8")
    message = error_of(write(tmp_path, "long.txt", data))
    assert "too long" in message and f"{MAX_TEXT_CHARS:,}" in message
    assert read_document(write(tmp_path, "ok.txt", data[3:])).text == "一" * MAX_TEXT_CHARS


def test_far_too_long_text_is_refused_before_decoding(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "long.md", b"a" * (4 * MAX_TEXT_CHARS + 8)))
    assert f"too long (over the limit of {MAX_TEXT_CHARS:,} characters" in message


def test_too_large_on_disk_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, nothing is read
    message = error_of(path)
    assert "too large" in message and f"{MAX_FILE_BYTES // 1024 // 1024} MB" in message


def test_a_bom_that_lies(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "r.txt", b"\xef\xbb\xbf" + "报告".encode("gbk")))
    assert "byte-order mark" in message


# --- Batches -----------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".docx", ".pdf", ".html", ".htm"} <= SUPPORTED_SUFFIXES
    assert reading.TEXT_SUFFIXES < SUPPORTED_SUFFIXES


def test_find_inputs_expands_folders_and_says_what_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["b.docx", "a.txt", "C.pdf", "page.htm", ".hidden.txt", "~$b.docx", "notes.xlsx"]:
        (folder / name).write_text("x")
    (folder / "page_files").mkdir()
    (folder / "older").mkdir()
    (folder / "older" / "d.md").write_text("x")
    extra = tmp_path / "extra.md"
    extra.write_text("x")

    found, skipped = find_inputs([folder, extra, folder / "a.txt", tmp_path / "gone.txt"])
    assert [p.name for p in found] == ["C.pdf", "a.txt", "b.docx", "page.htm", "extra.md"]
    reasons = {p.name: why for p, why in skipped}
    assert reasons == {
        ".hidden.txt": "hidden file",
        "~$b.docx": "Office lock file",
        "notes.xlsx": "unsupported file type '.xlsx'",
        "page_files": "resources of a saved web page",
        "older": "subfolder (not searched; use recursive)",
        "gone.txt": "no such file or folder",
    }

    found, _ = find_inputs([folder], recursive=True)
    assert [p.name for p in found] == ["C.pdf", "a.txt", "b.docx", "d.md", "page.htm"]


def test_duplicate_groups_by_file_hash(tmp_path: Path) -> None:
    same = HESHAN.encode("utf-8")
    paths = [
        write(tmp_path, n, d)
        for n, d in [("a.txt", same), ("b.txt", HESHAN.encode("gbk")), ("c.txt", same)]
    ]
    docs = [read_document(p) for p in paths]
    assert duplicate_groups(docs) == [[docs[0], docs[2]]]
    assert duplicate_groups(docs[:2]) == []
    assert isinstance(docs[0], Document)
