"""The CSV history file: RFC 4180 quoting, reversible formula neutralisation, validating reader."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nowplaying.history import (
    COLUMNS,
    HistoryFormatError,
    HistoryReader,
    HistoryRow,
    neutralise,
    unneutralise,
    write_history,
)

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "'already quoted",
    "''two quotes",
    "<script>alert('x')</script> <b>bold</b> &amp;",
    "Robert'); DROP TABLE plays_by_day;--",
    'he said "hi", then left,\r\nnew line\nand\rcarriage',
    "emoji 🎵🔥 and accents: Beyoncé, Sigur Rós, 坂本龍一",
    "nul\x00byte",
    "",
    " leading space = fine",
]


def _row(i: int, text: str, **extra) -> HistoryRow:
    base = dict(source="mastodon", post_id=str(1000 + i), created_at="2026-11-27T22:00:00Z", text=text,
                run_id="manual__2026-11-27T22:00:00")
    base.update(extra)
    return HistoryRow(**base)


def test_hostile_text_round_trips_and_is_neutralised_in_the_file(tmp_path):
    path = tmp_path / "run.csv"
    rows = [_row(i, t, author=t or None, title=t or None, album="=HYPERLINK(\"http://evil\")",
                 artists=["Earth, Wind & Fire", "=evil", t], genres=["-"], urls=["https://x.test/?a=1,2"])
            for i, t in enumerate(HOSTILE)]
    rows.append(_row(99, "resolved", track_id="4uLU6hMCjMI75M1A2tKUQC", title="Never Gonna Give You Up",
                     popularity=77, confidence=0.93, method="search", loudness=-5.25, tempo=113.0,
                     danceability=0.727, explicit=False, duration_ms=213573, features_source="reccobeats"))
    assert write_history(path, rows) == len(rows)

    back = list(HistoryReader(path))
    assert back == rows  # every value survives, hostile or not

    raw = path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8
    assert raw.startswith(",".join(COLUMNS).encode() + b"\r\n")
    # Parsed as a spreadsheet would: no text cell starts with a formula trigger.
    for cells in list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1:]:
        for name, cell in zip(COLUMNS, cells, strict=True):
            if name in ("loudness",):
                continue  # numbers we wrote; a negative number is not a formula
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    assert b"'=cmd|' /C calc'!A0" in raw


def test_lone_surrogates_become_replacement_characters(tmp_path):
    path = tmp_path / "run.csv"
    write_history(path, [_row(1, "bad \ud800 surrogate \udfff")])
    (back,) = list(HistoryReader(path))
    assert back.text == "bad \ufffd surrogate \ufffd"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_neutralise_is_reversible(text):
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_reader_skips_and_counts_bad_rows(tmp_path):
    path = tmp_path / "run.csv"
    write_history(path, [_row(1, "good one")])
    good = path.read_text(encoding="utf-8")
    header = good.splitlines()[0]
    def line(**over):
        cells = dict(zip(COLUMNS, next(csv.reader([good.splitlines()[1]])), strict=True))
        cells.update(over)
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow([cells[c] for c in COLUMNS])
        return out.getvalue()
    body = (header + "\r\n" + good.splitlines()[1] + "\r\n"
            + line(source="myspace") + line(post_id="") + line(created_at="yesterday")
            + line(popularity="lots") + line(confidence="1.5") + line(artists="not json")
            + line(method="guess") + "only,three,fields\r\n" + line(loudness="nan"))
    data = body.encode("utf-8") + b"\xff\xfe not utf8 at all\r\n" + line(post_id="2").encode()
    path.write_bytes(data)
    reader = HistoryReader(path)
    rows = list(reader)
    assert [r.post_id for r in rows] == ["1001", "2"]
    assert reader.skipped == {
        "unknown source": 1, "missing post_id": 1, "bad created_at": 1, "bad integer in popularity": 1,
        "confidence out of range": 1, "bad list in artists": 1, "unknown method": 1,
        "wrong number of fields": 1, "bad number in loudness": 1, "not utf-8": 1,
    }


def test_not_a_history_file_is_one_clear_error(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    with pytest.raises(HistoryFormatError, match="not a history CSV"):
        list(HistoryReader(path))
    with pytest.raises(HistoryFormatError, match="no history file"):
        list(HistoryReader(tmp_path / "missing.csv"))


def test_failed_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "run.csv"
    write_history(path, [_row(1, "first")])
    before = path.read_bytes()

    def rows():
        yield _row(2, "second")
        raise RuntimeError("transform died")

    with pytest.raises(RuntimeError):
        write_history(path, rows())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.csv"]
