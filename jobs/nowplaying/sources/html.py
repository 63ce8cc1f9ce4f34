"""Mastodon status HTML -> the plain text a reader sees, plus the link targets.

Mastodon renders a status like this (app/lib/text_formatter.rb):

    <p>Now <a href="https://mastodon.social/tags/NowPlaying" class="mention hashtag" rel="tag">
    #<span>NowPlaying</span></a> <a href="https://open.spotify.com/track/3n3Ppam7vgaVa1iaRUc9Lp?si=1"
    target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span>
    <span class="ellipsis">open.spotify.com/track/3n3Ppam7</span><span class="invisible">vgaVa1iaRUc9Lp?si=1
    </span></a><br />by <span class="h-card" translate="no"><a href="https://mastodon.social/@someone"
    class="u-url mention">@<span>someone</span></a></span></p>

(one line in reality; wrapped here.)

- hashtag anchors -> "#Tag" (not a link target); mention anchors -> "@user" (not a link target);
- other anchors -> their text with the invisible and ellipsis spans joined (the whole URL), href -> urls;
- entities unescaped; <br> -> newline; paragraphs and other blocks -> blank line / newline;
- script, style and template content dropped; the quote-post fallback (p.quote-inline) hidden as the web
  client hides it; whitespace collapsed as a browser does (except inside <pre>).

Built on the standard library's tolerant HTMLParser: any input gives some text, never an exception.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROP = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head", "title"}
_BLOCK = {"div", "blockquote", "ul", "ol", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
          "section", "article", "header", "footer", "figure", "hr"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param",
         "track"}
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_PARA = "\x00P"  # paragraph marker, resolved after parsing (control characters never survive cleaning)
_LINE = "\x00L"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.urls: list[str] = []
        self.drop_depth = 0  # inside script/style/...: content discarded
        self.hidden_depth = 0  # inside an element hidden from readers (quote-inline)
        self.pre_depth = 0
        self.anchor: dict[str, str] | None = None
        self.anchor_text: list[str] = []
        self.stack: list[str] = []
        self.saw_pre = False

    # --- tags --------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: (v or "") for k, v in attrs}
        if tag in _DROP:
            self.drop_depth += 1
            self.stack.append(tag)
            return
        if tag in _VOID:
            if tag == "br":
                self._emit(_LINE)
            elif tag == "hr":
                self._emit(_PARA)
            return
        self.stack.append(tag)
        if "quote-inline" in attr.get("class", "").split() or self.hidden_depth:
            self.hidden_depth += 1
            return
        if tag == "p":
            self._emit(_PARA)
        elif tag in _BLOCK:
            self._emit(_LINE)
            if tag == "pre":
                self.pre_depth += 1
                self.saw_pre = True
        elif tag == "a":
            if self.anchor is not None:  # <a> inside <a> is invalid HTML: close the first one
                self._close_anchor()
            self.anchor, self.anchor_text = attr, []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            return
        if tag in _VOID or tag not in ("a", "p"):
            self.handle_starttag(tag, attrs)
            if tag not in _VOID:
                self.handle_endtag(tag)
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        # Close everything opened after `tag` as well (unclosed inner elements).
        while self.stack:
            open_tag = self.stack.pop()
            self._end(open_tag)
            if open_tag == tag:
                break

    def _end(self, tag: str) -> None:
        if tag in _DROP:
            self.drop_depth = max(0, self.drop_depth - 1)
            return
        if self.hidden_depth:
            self.hidden_depth -= 1
            return
        if tag == "a" and self.anchor is not None:
            self._close_anchor()
        elif tag == "p":
            self._emit(_PARA)
        elif tag in _BLOCK:
            self._emit(_LINE)
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    # --- text --------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.drop_depth or self.hidden_depth:
            return
        data = data.replace("\x00", "")
        if not self.pre_depth:
            data = _SPACES.sub(" ", data)
        if self.anchor is not None:
            self.anchor_text.append(data)
        else:
            self.out.append(data)

    def _emit(self, marker: str) -> None:
        if self.drop_depth or self.hidden_depth:
            return
        if self.anchor is not None:
            self.anchor_text.append(" ")
        else:
            self.out.append(marker)

    def _close_anchor(self) -> None:
        attr, text = self.anchor or {}, "".join(self.anchor_text)
        self.anchor, self.anchor_text = None, []
        classes = attr.get("class", "").split()
        href = attr.get("href", "").strip()
        is_tag = "hashtag" in classes or "tag" in attr.get("rel", "").split() or text.lstrip().startswith("#")
        is_mention = "mention" in classes or text.lstrip().startswith("@")
        if not (is_tag or is_mention) and href.lower().startswith(("http://", "https://")) and href not in self.urls:
            self.urls.append(href)
        self.out.append(text)

    def result(self) -> str:
        if self.anchor is not None:
            self._close_anchor()
        return _layout("".join(self.out), keep_spaces=self.saw_pre)


def _layout(raw: str, keep_spaces: bool = False) -> str:
    """Markers -> newlines (a paragraph is a blank line), spaces trimmed around them, as a browser
    collapses whitespace."""
    text = raw.replace(_PARA, "\n\n").replace(_LINE, "\n")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not keep_spaces:  # no <pre>: collapse runs of spaces left where elements met
        text = re.sub(r" {2,}", " ", text)
    return text.strip(" \n")


def html_to_text(html: str) -> tuple[str, list[str]]:
    """(plain text as a reader sees it, link targets other than hashtags and mentions)."""
    if not html:
        return "", []
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
        return reader.result(), reader.urls
    except Exception:  # the parser is tolerant; this is a last resort so hostile HTML never ends a run
        text = re.sub(r"<[^>]*>", " ", html)
        return _SPACES.sub(" ", text).strip(), []
