"""Markdown as posts are written (CommonMark, tables), to HTML that is safe to show: rendered by
markdown-it and sanitised by nh3 (Ammonia), never escaped by hand. Raw HTML in the text is escaped
by the renderer and whatever remains is checked against an allow-list; links get rel=noopener."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4", "hr",
        "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def markdown_html(text: str) -> str:
    html = _md.render(text or "")
    # Headings of a post start at h2 under the page's h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


def markdown_text(text: str) -> str:
    """The same text as plain words (for the plain-text part of a mail and for summaries)."""
    return nh3.clean(_md.render(text or ""), tags=set()).replace("&amp;", "&").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").strip()


def summary(text: str, length: int = 220) -> str:
    plain = " ".join(markdown_text(text).split())
    return plain if len(plain) <= length else plain[:length].rsplit(" ", 1)[0] + "…"
