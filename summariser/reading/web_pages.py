"""A saved web page's article as text: the hand-made extractor (bench/bench_reading.py).

The page is parsed into a forgiving tree; navigation, headers, footers, menus, share and print
bars are dropped, the element holding the article is picked by its id/class or by the density
of its Chinese text, and rendered a line per block. Measured on government pages against
trafilatura and readability-lxml, it keeps every paragraph and heading and leaves the least
chrome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from summariser.reading.chrome import BRACKETED_BUTTON, BUTTON_LINE, NAVIGATION_LINE, PUBLISHED

__all__ = ["html_to_text"]

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROP_TAGS = frozenset(
    "head script style noscript template nav header footer aside select option button iframe "
    "object svg canvas map textarea".split()
)
_BLOCK = frozenset(
    "address article blockquote body center dd div dl dt fieldset figcaption figure form h1 h2 "
    "h3 h4 h5 h6 hr li main ol p pre section table tbody tfoot thead tr ul br caption".split()
)
# id/class words (split on - and _) that mark page furniture rather than the article.
_CHROME_WORDS = frozenset(
    "nav navbar navigation menu submenu breadcrumb breadcrumbs crumb crumbs share bdshare "
    "sharebar footer foot header topbar toolbar sidebar side print copyright search dqwz "
    "location position weizhi friendlink links".split()
)
# id/class words of the element that holds the article on typical government sites.
_ARTICLE_WORDS = frozenset(
    "zoom content article trs editor custom unionstyle news detail details text body main con "
    "nr wenzhang zhengwen newscontent articlecontent pagescontent".split()
)
# Block and table-cell boundaries while rendering; removed from the page's own text first.
_BREAK, _CELL = "\x00", "\x01"
_WIDE = r"[\u3000-\u9fff\uff00-\uffef]"
_SEGMENT_BREAK = re.compile(rf"(?<={_WIDE})[ \t\n]*\n[ \t\n]*(?={_WIDE})")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|－|—{1,2}| - )\s*")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving tree: unknown end tags are ignored, unclosed elements closed by their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"p", "li", "tr", "td", "th", "option"} and self.stack[-1].tag == tag:
            self.stack.pop()  # <p>a<p>b and <li>a<li>b: the new one closes the old
        elif tag in _BLOCK and tag not in _VOID and self.stack[-1].tag == "p":
            self.stack.pop()
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _words(node: _Node) -> set[str]:
    raw = f"{node.attrs.get('id', '')} {node.attrs.get('class', '')}".lower()
    return {w for token in raw.split() for w in re.split(r"[-_]", token) if w}


def _is_chrome(node: _Node) -> bool:
    return node.tag in _DROP_TAGS or bool(_words(node) & _CHROME_WORDS)


def _iter_nodes(node: _Node) -> Iterable[_Node]:
    yield node
    for child in node.children:
        if isinstance(child, _Node):
            yield from _iter_nodes(child)


def _render(node: _Node, skip_chrome: bool = True) -> str:
    """The node's text, a line per block element and per table row (cells tab-separated).

    Whitespace is collapsed as a browser would, and lines that are only chrome are left out.
    """
    parts: list[str] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child.replace(_BREAK, "").replace(_CELL, ""))
            elif child.tag in {"script", "style", "head", "template"} or (
                skip_chrome and _is_chrome(child)
            ):
                continue
            else:
                mark = _BREAK if child.tag in _BLOCK else _CELL if child.tag in {"td", "th"} else ""
                parts.append(mark)
                walk(child)
                parts.append(mark)

    walk(node)
    raw = "".join(parts).replace("\xa0", " ").replace("\r", "")
    raw = _SEGMENT_BREAK.sub("", raw)
    lines = []
    for line in raw.split(_BREAK):
        line = re.sub(r"[ \t\n\f\v]+", " ", line)
        cells = (cell.strip() for cell in line.split(_CELL))
        line = "\t".join(cell for cell in cells if cell)
        if line and not BUTTON_LINE.match(line) and not NAVIGATION_LINE.match(line):
            lines.append(line)
    return "\n".join(lines)


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


def _pick_article(body: _Node) -> _Node:
    """The element holding the article: a known content id/class, else the densest block."""
    page_han = _han_count(_render(body))
    scored = []
    for node in _iter_nodes(body):
        if node is body or _is_chrome(node):
            continue
        if _words(node) & _ARTICLE_WORDS:
            scored.append((_han_count(_render(node)), node))
    if scored:
        most = max(han for han, _ in scored)
        if most and most * 2 >= page_han:
            # The innermost candidate that still holds nearly all of it: drops wrappers that
            # carry a sidebar next to the article.
            inner = [
                (len(_render(n)), i, n) for i, (han, n) in enumerate(scored) if han * 10 >= most * 9
            ]
            return min(inner, key=lambda t: (t[0], t[1]))[2]
    # No usable id: the block whose own paragraphs (not its descendants' blocks) hold most Han.
    best, best_han = body, 0
    for node in _iter_nodes(body):
        if _is_chrome(node):
            continue
        own = "".join(
            c if isinstance(c, str) else _render(c)
            for c in node.children
            if isinstance(c, str) or c.tag in {"p", "span", "font", "strong", "b", "br", "a", "em"}
        )
        han = _han_count(own)
        if han > best_han:
            best, best_han = node, han
    return best


def _find(root: _Node, tag: str) -> _Node | None:
    return next((n for n in _iter_nodes(root) if n.tag == tag), None)


def html_to_text(markup: str) -> str:
    """The article of a saved web page: title, 发布时间 line, then its paragraphs, one per line.

    Navigation, headers, footers, scripts, menus, breadcrumb trails and print/close/share bars
    are dropped; the article is the element with a typical content id or class (zoom, content,
    TRS_Editor, ...) holding most of the page's Chinese text, else the densest block.
    """
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    root = builder.root
    body = _find(root, "body") or root
    article = _pick_article(body)
    text = _render(article)
    lines = text.split("\n") if text else []

    title = ""
    for h1 in (n for n in _iter_nodes(article) if n.tag == "h1"):
        title = _render(h1, skip_chrome=False)
        break
    if not title:
        head_title = _find(root, "title")
        page_title = _render(head_title, skip_chrome=False) if head_title else ""
        page_title = _TITLE_SPLIT.split(page_title)[0] if page_title else ""
        for h1 in (n for n in _iter_nodes(body) if n.tag == "h1"):
            candidate = _render(h1, skip_chrome=False).replace("\n", "")
            if candidate and (not page_title or candidate in page_title or page_title in candidate):
                title = candidate
                break
        title = title or page_title
    published = ""
    if not any(PUBLISHED.search(line) for line in lines):
        page_lines = _render(body, skip_chrome=False).split("\n")
        published = next((line for line in page_lines if PUBLISHED.search(line)), "")
        published = BRACKETED_BUTTON.sub("", published).strip()

    head = [line for line in (title, published) if line and line not in lines[:3]]
    return "\n".join(head + lines)
