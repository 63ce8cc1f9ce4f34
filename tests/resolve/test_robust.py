"""Resolution that holds against search engines of different strictness: what the query carries (the
reading's core, no chatter, no syntax from the post), the fallback plan, and the search budget, against
the emulator's strict engine (every word required, exact words) over real HTTP."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nowplaying.emulator.app import Faults
from nowplaying.resolve import fallback_plan
from nowplaying.text import candidates, clean, core

from .helpers import RESOLUTION
from .test_resolver import resolver_for

STRICT = {"search_strict": True, "search_max_limit": 10}
EXTRA = {t["name"]: t["id"] for t in json.loads((RESOLUTION / "extra" / "catalog.json").read_text())["tracks"]}


@pytest.mark.parametrize(("text", "expected"), [
    ("Hurt. what a tune", "Hurt"),
    ("Knights of Cydonia! love it", "Knights of Cydonia"),
    ("Mr. Brightside", "Mr. Brightside"),  # an abbreviation is no sentence end
    ("Ben E. King", "Ben E. King"),  # nor is an initial
    ("HUMBLE.. so good", "HUMBLE"),
    ("BTS 최고", "BTS"),  # praise after the name
    ("Bohemian Rhapsody – Ohrwurm", "Bohemian Rhapsody"),
    ("Shape of You - Acoustic", "Shape of You"),
    ("Do I Wanna Know?", "Do I Wanna Know"),
    ("Hello", "Hello"),
])
def test_core_is_the_part_a_search_should_see(text: str, expected: str) -> None:
    assert core(text) == expected


@pytest.mark.parametrize(("text", "artist", "query"), [
    ("#NowPlaying Billy Joel - Uptown Girl. earworm of the week", "Billy Joel", "Billy Joel Uptown Girl"),
    ("#NowPlaying a-ha — Take On Me 😍 my whole childhood right there", "a-ha", "a-ha Take On Me"),
    ("#NowPlaying TOTO - Africa – canción del día", "TOTO", "TOTO Africa"),
    ("#NowPlaying Prince - Purple Rain, chanson du jour", "Prince", "Prince Purple Rain"),
    ("#NowPlaying Nena mit 99 Luftballons – Lied des Tages", "Nena", "Nena 99 Luftballons"),
    ("#NowPlaying The Cure - Friday I'm In Love. what a song!", "The Cure", "Cure Friday I'm In Love"),
    ("#NowPlaying BTS - Dynamite 대박", "BTS", "BTS Dynamite"),
    ("#NowPlaying Seven Nation Army - The White Stripes ~ Rock FM ~ on air", "The White Stripes",
     "White Stripes Seven Nation Army"),  # (the reading "Artist - Title" first: no leading article)
])
def test_chatter_stays_out_of_the_first_query(text: str, artist: str, query: str) -> None:
    best = candidates(text)[0]
    assert artist in best.artists or artist in best.title
    assert sorted(best.query.split()) == sorted(query.split())


def test_a_possessive_with_an_artist_list_beats_the_comma_reading() -> None:
    best = candidates("#NowPlaying Calvin Harris ft. Rihanna's This Is What You Came For")[0]
    assert best.rule == "possessive" and best.artists == ("Calvin Harris", "Rihanna")


@pytest.mark.parametrize(("text", "phrase"), [("#NowPlaying Hurt. what a tune", "what a tune"),
                                              ("#NowPlaying Hurt, earworm of the week", "earworm"),
                                              ("#NowPlaying Nena - Hurt – Lied des Tages", "lied")])
def test_chatter_phrases_go_before_parsing(text: str, phrase: str) -> None:
    assert phrase not in clean(text).lower()
    assert candidates(text)[0].search_title == "Hurt"


def test_a_chatter_phrase_that_is_the_whole_title_stays() -> None:
    readings = [(c.artists, c.title) for c in candidates("#NowPlaying The Paper Kites - Song of the Day")]
    assert (("The Paper Kites",), "Song of the Day") in readings
    assert [c.title for c in candidates("#NowPlaying Queen mit Bohemian Rhapsody – Ohrwurm des Tages")] == [
        "Bohemian Rhapsody"]


def test_what_says_tv_is_not_chatter_to_drop() -> None:
    # "what a show" is not a song phrase: it stays, so the post still reads as TV and is left alone.
    assert "season" in clean("#NowPlaying The Office - season 3. what a show")


_FILTERED = re.compile(r'^track:"[^":]+"(?: artist:"[^":]+")?$')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200) | st.lists(st.sampled_from(
    ["artist:", "year:1994", "track:", '"', "“", "-", "–", "by", "OR", "NOT", "tag:new", "Queen", "Hurt.", "🔥",
     "what a tune", ":", "genre:rock", "\\", "'", "isrc:X"]), max_size=12).map(" ".join))
def test_no_input_can_inject_query_syntax(text: str) -> None:
    """Quotes and field prefixes from a post never reach the query: free-text queries hold no ':' or '"',
    and filtered ones are exactly track:"..." [artist:"..."] with clean values."""
    for cand in candidates(text):
        assert ":" not in cand.query and '"' not in cand.query
        if cand.filtered_query:
            assert _FILTERED.match(cand.filtered_query), cand.filtered_query
    cands = [c for c in candidates(text) if c.artists]
    for q in fallback_plan(cands, [], cands[0].query if cands else ""):
        # Field filters with clean values, or free words with no syntax at all.
        assert re.fullmatch(r'(?:(?:track|artist):"[^":]+" ?)+', q) or (":" not in q and '"' not in q), q


def test_fallback_plan_skips_searches_an_and_engine_must_fail() -> None:
    cands = [c for c in candidates("#NowPlaying Nena mit 99 Luftballons – Kindheitserinnerungen") if c.artists]
    plan = fallback_plan(cands, [], cands[0].query)
    # The reading that only drops words of the first (empty) search comes first; no query holds every word
    # of the first one (an AND engine must fail it).
    assert plan[0] == 'track:"99 Luftballons" artist:"Nena"'
    tried = set(cands[0].query.split())
    assert all(not set(re.sub(r'(?:track|artist):|"', " ", q).split()) >= tried for q in plan)
    # A typo: one side at a time (as free words: "Artist - Title" is often "Title - Artist").
    typo = [c for c in candidates("#NowPlaying Billy Joel - Uptown Gurl") if c.artists]
    assert fallback_plan(typo, [], typo[0].query)[:2] == ["Billy Joel", "Uptown Gurl"]
    # With answers, the reading those answers support comes first (settles "Title - Artist").
    swapped = [c for c in candidates("#NowPlaying Purple Rain - Prince") if c.artists]
    answers = [{"name": "Purple Rain", "artists": [{"name": "Prince"}]}]
    assert fallback_plan(swapped, answers, swapped[0].query)[0] == 'track:"Purple Rain" artist:"Prince"'


def test_chatter_posts_resolve_with_one_search_on_a_strict_engine(emulator) -> None:
    emulator.app.config["FAULTS"] = Faults(extra=dict(STRICT))
    resolver = resolver_for(emulator)
    posts = [
        ("#NowPlaying Billy Joel - Uptown Girl. earworm of the week", "Uptown Girl"),
        ("#NowPlaying a-ha — Take On Me 😍 my whole childhood right there", "Take On Me"),
        ("#NowPlaying TOTO - Africa – canción del día", "Africa"),
        ("#NowPlaying Nena mit 99 Luftballons – Lied des Tages", "99 Luftballons"),
        ("#NowPlaying BTS - Dynamite 대박", "Dynamite"),
    ]
    results = list(resolver.resolve_posts([{"id": str(i), "text": t} for i, (t, _) in enumerate(posts)]))
    claimed = [r.track_id for r in results]
    assert claimed[:4] == [EXTRA[name] for _, name in posts[:4]]
    assert results[4].artists == ["BTS"]
    assert resolver.searches == len(posts)


def test_fallbacks_spend_what_links_save_and_never_exceed_the_budget(emulator) -> None:
    emulator.app.config["FAULTS"] = Faults(extra=dict(STRICT))
    # A typo in the title: the words find nothing, the artist alone does.
    typo = {"id": "typo", "text": "#NowPlaying Billy Joel - Uptown Gurl"}
    alone = resolver_for(emulator)
    assert next(alone.resolve_posts([typo])).track_id is None and alone.searches == 1  # no budget left
    link = f"https://open.spotify.com/track/{EXTRA['Africa']}"
    funded = resolver_for(emulator)
    posts = [{"id": "l1", "text": link}, {"id": "l2", "text": link}, typo]
    results = list(funded.resolve_posts(posts))
    assert results[2].track_id == EXTRA["Uptown Girl"] and funded.searches == 2
    many = resolver_for(emulator)
    list(many.resolve_posts([dict(typo, id=str(i), text=f"{typo['text']} {i}x") for i in range(8)]))
    assert many.searches <= 8


def test_a_typo_is_mended_from_the_words_of_earlier_answers() -> None:
    from nowplaying.resolve import Vocabulary

    known = Vocabulary()
    known.add_text("Every Breath You Take The Police")
    known.add_text("Jailhouse Rock Elvis Presley")
    assert known.correction("presley") is None  # known already
    assert known.correction("pressley") == "presley" and known.correction("polcie") == "police"
    assert known.correction("zzzzzz") is None and known.correction("rok") is None  # too short to tell
    readings = candidates("#NowPlaying Elvis Pressley - Jailhouse Rock")
    # A well-known name's typo is read by its spelling first (`artists.respelled`); the post's own words
    # are what the run's answers mend.
    assert (readings[0].rule, readings[0].artists) == ("respelled", ("Elvis Presley",))
    typo = [c for c in readings if c.artists and c.rule != "respelled"]
    plan = fallback_plan(typo, [], typo[0].query, known)
    # The mended query first; then the side holding the word like a typo goes last (the artist side
    # otherwise leads).
    assert plan[:3] == ["elvis presley jailhouse rock", "Jailhouse Rock", "Elvis Pressley"]
    # Without earlier answers the word lists still tell "pressley" (one letter from the far more common
    # "presley") from a name, so its side still goes last.
    assert fallback_plan(typo, [], typo[0].query, Vocabulary())[:2] == ["Jailhouse Rock", "Elvis Pressley"]


@pytest.mark.parametrize(("text", "first_side"), [
    ("#NowPlaying Adele - Easy On Me", "Adele"),  # a near tie: the artist first
    ("#NowPlaying Marjatta Kolehmainen - Day-O", "Day-O"),  # 18 letters to misspell against none
    ("#NowPlaying Harry Belafonte - Day-O", "Harry Belafonte"),  # unless the name is well known and spelt so
    ("#NowPlaying Arctic Monkies - 505", "505"),
    ("#NowPlaying Eagles - Hotel Califronia", "Eagles"),  # "califronia" looks like a typo
])
def test_after_an_empty_answer_the_side_less_likely_to_hold_a_typo_is_searched_first(text: str,
                                                                                     first_side: str) -> None:
    from nowplaying.resolve import Vocabulary

    reading = [c for c in candidates(text) if c.artists]
    plan = fallback_plan(reading, [], reading[0].query, Vocabulary())
    assert plan[0] == first_side


def test_word_lists_tell_a_likely_typo_from_a_rare_name() -> None:
    from nowplaying import spelling

    assert spelling.suggestion("pressley") == "presley" and spelling.suggestion("califronia") == "california"
    assert spelling.looks_misspelt("Polcie") and spelling.looks_misspelt("belafoonte")
    # Real words and names, and words too short or not in Latin letters: no suggestion. (A name rare in
    # all eight languages can look like a typo: "sertab" -> "sertao"; that only changes which side of an
    # empty search is tried first.)
    for word in ("presley", "stromae", "police", "takeuchi", "505", "rock", "кино", "夜に駆ける", "måneskin"):
        assert not spelling.looks_misspelt(word), word


@pytest.mark.parametrize(("text", "trimmed"), [
    ("Linkin Park's In the End still hits different #np", "Linkin Park In the End"),
    ("soulDecision - Faded (2000 throwback)", "soulDecision Faded"),
    ("viva la vida by coldplay is so underrated", "coldplay viva la vida"),
    # Words titles are made of stay: nothing to trim.
    ("Run DMC - Walk This Way", ""),
    ("Stan Getz - The Girl from Ipanema", ""),
    ("Nena - 99 Luftballons", ""),
])
def test_a_second_search_can_leave_out_the_chatter_after_a_name_or_title(text: str, trimmed: str) -> None:
    first = candidates(text)[0]
    if trimmed:
        # Cut when the query is built, or already by the reading ("coldplay" ends where "is so" starts).
        assert (first.trimmed_query or first.query) == trimmed
    else:
        assert first.trimmed_query == ""


def test_radio_bots_three_pipe_segments_read_as_artist_title_station() -> None:
    readings = [(c.artists, c.title) for c in candidates("Kanye West | Stronger | #NowPlaying on NRJ")]
    assert readings[0] == (("Kanye West",), "Stronger")
    assert (("Oasis",), "Wonderwall") in [(c.artists, c.title) for c in candidates("Radio X | Oasis | Wonderwall")]


def test_a_song_the_run_has_seen_costs_no_search_in_other_words(emulator) -> None:
    emulator.app.config["FAULTS"] = Faults(extra=dict(STRICT))
    resolver = resolver_for(emulator)
    first = next(resolver.resolve_posts([{"id": "1", "text": "#NowPlaying Billy Joel - Uptown Girl"}]))
    assert first.track_id == EXTRA["Uptown Girl"] and resolver.searches == 1
    # The same song in other words, and with a typo an engine wanting every word would find nothing for.
    again = list(resolver.resolve_posts([{"id": "2", "text": "Uptown Girl by Billy Joel 🎶"},
                                         {"id": "3", "text": "np: billy joel – uptown girl (what a tune)"}]))
    assert [r.track_id for r in again] == [EXTRA["Uptown Girl"]] * 2 and resolver.searches == 1
    assert {r.method for r in again} == {"cache"} and resolver.stats["posts"] == 3
    typo = next(resolver.resolve_posts([{"id": "4", "text": "#NowPlaying Billy Jole - Uptown Girl"}]))
    # A well-known name misspelt is read by its spelling: the seen song, no search.
    assert typo.track_id == EXTRA["Uptown Girl"] and resolver.searches == 1
    typo = next(resolver.resolve_posts([{"id": "5", "text": "#NowPlaying Bily Joel - Uptwn Girl"}]))
    assert typo.track_id == EXTRA["Uptown Girl"] and resolver.searches == 2  # its own (empty) search only


def test_a_seen_recording_crediting_an_artist_the_post_does_not_name_is_not_claimed_unseen(emulator) -> None:
    from nowplaying.resolve import SeenTracks

    seen = SeenTracks()
    duet = {"id": "duet", "name": "Walk This Way", "artists": [{"name": "Run–D.M.C."}, {"name": "Aerosmith"}]}
    seen.add(duet)
    reading = [c for c in candidates("Aerosmith - Walk This Way") if c.artists]
    assert seen.lookup(reading) == [duet]
    resolver = resolver_for(emulator)
    resolver.seen = seen
    assert resolver._seen_match(reading, "Aerosmith - Walk This Way", sure=True) is None
    both = [c for c in candidates("Run-DMC & Aerosmith - Walk This Way") if c.artists]
    assert resolver._seen_match(both, "Run-DMC & Aerosmith - Walk This Way", sure=False) is not None


def test_a_well_known_name_spelt_right_is_not_the_side_holding_the_typo() -> None:
    """"Metallica - Onee": the longer, rarer word would look likelier to hold the typo, but the list spells
    Metallica so: its side is searched first."""
    from nowplaying.resolve import Vocabulary

    typo = [c for c in candidates("#NowPlaying Metallica - Onee") if c.artists]
    assert fallback_plan(typo, [], typo[0].query, Vocabulary())[:2] == ["Metallica", "Onee"]
    unknown = [c for c in candidates("#NowPlaying Zyxwvuta - Onee") if c.artists]
    assert fallback_plan(unknown, [], unknown[0].query, Vocabulary())[:2] == ["Onee", "Zyxwvuta"]
