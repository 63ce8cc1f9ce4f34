"""Mastodon HTML -> reader's text, and post-record validation: fixed cases plus property-based fuzzing."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from nowplaying.sources.html import html_to_text
from nowplaying.sources.records import Skip, make_record, normalize_created_at, read_posts, validate_record

LINK = ('<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42" target="_blank" '
        'rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://www.</span>'
        '<span class="ellipsis">youtube.com/watch?v=dQw4w9WgXcQ</span><span class="invisible">&amp;t=42</span></a>')


def test_link_spans_join_into_the_full_url_and_href_is_a_link_target():
    text, urls = html_to_text(f"<p>Never gonna {LINK} #NowPlaying</p>")
    assert text == "Never gonna https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42 #NowPlaying"
    assert urls == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"]


def test_hashtags_and_mentions_are_text_not_link_targets():
    html = ('<p><a href="https://m.s/tags/Metallica" class="mention hashtag" rel="tag">#<span>Metallica</span></a> - '
            '<a href="https://m.s/tags/EnterSandman" class="mention hashtag" rel="tag">#<span>EnterSandman</span></a> '
            '<span class="h-card" translate="no"><a href="https://m.s/@bob" class="u-url mention">@<span>bob</span>'
            '</a></span></p>')
    assert html_to_text(html) == ("#Metallica - #EnterSandman @bob", [])


def test_breaks_paragraphs_entities_and_scripts():
    html = ("<p>line one<br>line two<br/>AC&#x2F;DC &amp; &lt;friends&gt; caf&eacute;</p>"
            "<p>second<script>document.cookie</script><style>p{}</style> para</p><p></p>")
    assert html_to_text(html) == ("line one\nline two\nAC/DC & <friends> café\n\nsecond para", [])


def test_quote_post_fallback_hidden_and_unclosed_tags_tolerated():
    html = ('<p class="quote-inline">RE: <a href="https://m.s/@a/1">https://m.s/@a/1</a></p>'
            '<p>Now <b>playing <i>Kraftwerk - Das Model')
    assert html_to_text(html) == ("Now playing Kraftwerk - Das Model", [])


def test_remote_link_with_custom_text_keeps_its_text_and_href():
    html = '<p>my <a href="https://open.spotify.com/playlist/37i9dQZF1DX">weekly mix</a> #nowplaying</p>'
    assert html_to_text(html) == ("my weekly mix #nowplaying", ["https://open.spotify.com/playlist/37i9dQZF1DX"])


def test_non_http_hrefs_are_not_link_targets():
    assert html_to_text('<a href="javascript:alert(1)">x</a><a href="/relative">y</a>') == ("xy", [])


def test_empty_and_whitespace_html():
    assert html_to_text("") == ("", [])
    assert html_to_text("<p>  </p>\n<p></p>") == ("", [])


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_as_html_never_crashes(value):
    text, urls = html_to_text(value)
    assert isinstance(text, str) and isinstance(urls, list)
    assert "\x00" not in text


tags = st.sampled_from(["p", "br", "a", "span", "script", "style", "b", "pre", "div", "li", "template"])
attrs = st.sampled_from(['', ' class="invisible"', ' class="mention hashtag" rel="tag"', ' href="https://a.b/c"',
                         ' class="quote-inline"', ' href="javascript:x"'])
fragments = st.one_of(st.text(max_size=20), st.builds(lambda t, a: f"<{t}{a}>", tags, attrs),
                      st.builds(lambda t: f"</{t}>", tags), st.sampled_from(["&amp;", "&#0;", "&#xD800;", "&bogus"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(fragments, max_size=40))
def test_any_tag_soup_never_crashes_and_links_are_http(parts):
    text, urls = html_to_text("".join(parts))
    assert isinstance(text, str)
    assert all(u.startswith(("http://", "https://")) for u in urls)


def base(**over):
    values = {"id": "1", "source": "x", "text": "hi", "urls": [], "created_at": "2026-11-27T22:00:00Z",
              "lang": "en", "author": "a"}
    values.update(over)
    return values


def test_record_normalises_and_bounds_fields():
    record = make_record(**base(id=123, text=" a\r\nb\x07 \ud800 ", created_at="2026-11-27T23:00:00.123+01:00",
                                urls=["https://ok", "ftp://no", "https://ok", 5, "https://has space"],
                                lang="x" * 40, author=None))
    assert record == {"id": "123", "source": "x", "text": "a\nb \ufffd", "urls": ["https://ok"],
                      "created_at": "2026-11-27T22:00:00Z", "lang": "x" * 16, "author": None}


def test_record_skip_reasons():
    for over, reason in [({"id": ""}, "bad_id"), ({"id": "a/b"}, "bad_id"), ({"id": None}, "bad_id"),
                         ({"text": None}, "missing_text"), ({"text": "x" * 10_001}, "too_long"),
                         ({"created_at": "Tuesday"}, "bad_created_at"), ({"source": "myspace"}, "bad_source")]:
        try:
            make_record(**base(**over))
        except Skip as skip:
            assert skip.reason == reason
        else:
            raise AssertionError(f"{over} should be skipped")
    assert len(make_record(**base(text="x" * 10_000))["text"]) == 10_000
    assert normalize_created_at("2026-11-27T22:00:00") == "2026-11-27T22:00:00Z"


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=10)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "source", "text", "urls", "created_at", "lang", "author"]),
                       json_values))
def test_any_record_shape_is_valid_or_a_counted_skip(raw):
    try:
        record = validate_record(raw)
    except Skip as skip:
        assert skip.reason
        return
    json.dumps(record, ensure_ascii=False).encode("utf-8")  # always storable
    assert set(record) == {"id", "source", "text", "urls", "created_at", "lang", "author"}


def test_read_posts_skips_malformed_lines_and_counts_them(tmp_path):
    path = tmp_path / "raw.jsonl"
    good = json.dumps(base(id="7", text="caf"))
    path.write_bytes(b"\n".join([
        good.encode(), b"{not json", b'{"id": "8"}', b"[1, 2]",
        json.dumps(base(id="9", text="bad \\xff")).encode().replace(b"\\\\xff", b"\xff"),
        json.dumps(base(id="10", text="lone \ud800"), ensure_ascii=True).encode(), b"",
    ]))
    skipped: Counter[str] = Counter()
    posts = list(read_posts(path, skipped))
    assert [p["id"] for p in posts] == ["7", "9", "10"]
    assert posts[1]["text"] == "bad \ufffd" and posts[2]["text"] == "lone \ufffd"
    assert skipped == Counter({"malformed_json": 1, "bad_source": 1, "not_an_object": 1})
