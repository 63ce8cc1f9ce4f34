"""Post -> the Spotify track it names, or none. A wrong track is worse than none.

Order of work for each post:
1. links (open.spotify.com/track/ID, spotify:track:ID) verified with GET /v1/tracks, in batches of 50
   across the posts of a chunk; an id Spotify does not know falls back to the words;
2. the cache, keyed by the cleaned text (positive and negative results);
3. one search with the core words of the best reading: its first artist (no leading "The") and title, cut at the first
   clause end, emoji, dash or chatter word, without praise or version words ("Adele Someone Like You", not "... still
   crying"; "Linkin Park In the End", not "... still hits different"), since Spotify and stricter engines want every
   word; order-agnostic, so it serves "Artist - Title" and "Title - Artist" alike. Every returned track is scored
   against every (whole) reading of the post by normalised similarity of title and artists (one typo, other scripts'
   Latin spellings, and Latin names and English titles written by ear in Hangul or kana tolerated);
   karaoke/tribute/cover versions only count when the post asks for them (a karaoke post named like its track, "Creep
   (In the Style of Radiohead)", matches the original's artist inside the track's name), versions and guests it turns
   down ("not the remix", "no DaBaby") count against, a performance it names ("Live at Wembley '86") is that one or
   none; when no reading fits, a track whose whole title and artist both appear in the post's words
   (`contained_match`: "can't stop listening to the beatles let it be"); below the threshold we abstain;
4. only when that found nothing acceptable, and only for posts with an artist/title structure, fallbacks
   (`fallback_plan`): the reading the answers support; or, after an empty answer (an engine that wants
   every word met an unknown one: chatter, a typo, another script), the query with its typos mended from
   the words of the run's answers (`Vocabulary`), the reading without its chatter, a reading that only
   drops words, then one side at a time, first the side less likely to hold the typo (eight languages'
   word frequencies, `spelling`). They run in rounds per chunk (second searches before third ones, at
   most MAX_FALLBACKS per post) within the run's budget of <= 1 search per post on average, so what
   links, cache hits and posts not worth a search save pays for the posts that need more.
Posts whose words say games, sports, podcasts, audiobooks or spam get no search; posts without an
artist/title structure ("#NowPlaying Autumn Leaves") neither when they say TV, film, album or playlist,
and they are claimed only when the text is exactly "artist title" (either order) or a title that a single
performer has among the answers (two performers = ambiguous: none).
A post about an album or a show is not its title track or theme song.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from nowplaying import spelling
from nowplaying.aliases import same_artist
from nowplaying.artists import is_known_artist
from nowplaying.config import Settings
from nowplaying.http import ApiError, BudgetExhausted, RequestBudget
from nowplaying.scripts import sounds_alike
from nowplaying.spotify import SpotifyClient
from nowplaying.text import (
    DERIVATIVE_RE,
    LANGUAGE_VERSIONS,
    LIVE_WORDS,
    SENTENCE_WORDS,
    STYLE_OF_RE,
    VERSION_NAME_RE,
    Candidate,
    base_title,
    bracket_contents,
    candidates,
    clean,
    core,
    drop_brackets,
    extract_track_ids,
    fold,
    in_latin_script,
    is_derivative,
    leading_words,
    looks_like_music,
    name_credits,
    normalize,
    query_key,
    strip_brackets,
    title_suffix,
    title_words,
    unread_letters,
    version_phrase,
    version_words,
)

log = logging.getLogger(__name__)

THRESHOLD = 0.86  # minimum combined score to claim a track
MISSING_VERSION = 0.2  # the penalty for a track that is not the version a post names: never claimed
TITLE_MIN = 0.84
ARTIST_MIN = 0.88
CHUNK = 50  # posts per link-verification batch
MAX_SEARCHES_PER_POST = 1.0
MAX_FALLBACKS = 2  # searches after the first, for one post, when the run's budget allows
VOCABULARY_MAX = 200_000  # words remembered from the run's answers (bounded memory)
SEEN_TRACKS_MAX = 100_000  # tracks remembered from the run's answers (bounded memory)
SURE = 0.99  # a track seen earlier in the run settles a post without a search only at this score


@dataclass(frozen=True)
class Resolution:
    id: str
    track_id: str | None
    title: str | None
    artists: list[str]
    confidence: float
    method: str  # "link" | "search" | "cache" | "none"

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "track_id": self.track_id, "title": self.title, "artists": list(self.artists),
                "confidence": round(float(self.confidence), 3), "method": self.method}

    @classmethod
    def none(cls, post_id: str) -> Resolution:
        return cls(post_id, None, None, [], 0.0, "none")


@dataclass(frozen=True)
class Cached:
    track_id: str | None
    title: str | None
    artists: list[str]
    confidence: float


class ResolutionCache(Protocol):
    def get(self, key: str) -> Cached | None: ...
    def put(self, key: str, value: Cached) -> None: ...


class MemoryCache:
    def __init__(self) -> None:
        self.data: dict[str, Cached] = {}

    def get(self, key: str) -> Cached | None:
        return self.data.get(key)

    def put(self, key: str, value: Cached) -> None:
        self.data[key] = value


def track_artists(track: Mapping[str, Any]) -> list[str]:
    """The names a Spotify track object credits, in order (malformed entries skipped)."""
    return [str(a.get("name") or "") for a in track.get("artists") or [] if isinstance(a, dict)]


# --- similarity -----------------------------------------------------------------------------------

# After a whole name, these start a sentence ("nirvana is such a vibe", "adele the goat").
_CHATTER_STARTS = {normalize(w) for w in SENTENCE_WORDS} | {"the", "a", "my", "this", "for", "all"}  # matching form


# Words of respect or affection fans put after a name, in the languages whose fans write them in Latin
# letters (Hindi/Bengali/Punjabi, Japanese, Korean): never the end of a name a catalog lists.
_HONORIFICS = {"da", "ji", "paaji", "paji", "bhai", "saab", "sahab", "sama", "san", "chan", "kun", "oppa",
               "unnie", "hyung", "sunbae", "nim"}


def _without_honorific(name: str) -> str:
    words = name.split()
    return " ".join(words[:-1]) if len(words) >= 2 and words[-1] in _HONORIFICS else name


def _drop_the(s: str) -> str:
    return s[4:] if s.startswith("the ") else s


def name_similarity(a: str, b: str) -> float:
    """Two normalised artist names: 1 equal, fuzzy ratio otherwise; a surname alone ('vivaldi' for
    'antonio vivaldi') counts as 0.9 when it is long enough to be telling."""
    a, b = _drop_the(a), _drop_the(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if (plain := _without_honorific(a)) != a:
        return name_similarity(plain, b)  # "kishore da", "diljit paaji": the name, respectfully
    if a.replace(" ", "") == b.replace(" ", ""):
        return 0.95  # "acdc" for "ac dc" (AC/DC)
    r = fuzz.ratio(a, b) / 100
    if min(len(a), len(b)) < 6:
        r = min(r, 0.8)  # short names must match exactly
    elif OSA.distance(a, b) <= 1:
        r = max(r, 0.9)  # one typo: "coldplai", "the polcie"
    at, bt = a.split(), b.split()
    if set(at) <= set(bt) and (sum(map(len, at)) >= 5 or (len(at) == 1 and at == bt[:1] and len(a) >= 4)):
        r = max(r, 0.9)  # a surname, or a first name of four letters or more ("Lana" for Lana Del Rey)
    # The post's artist part runs on into chatter: "nirvana is such a vibe" for "nirvana" (but "queen
    # latifah" is not "queen": the words after the name must read as a sentence, not as a surname).
    if (len(at) > len(bt) and at[:len(bt)] == bt and len(at) - len(bt) <= 5 and sum(map(len, bt)) >= 3
            and at[len(bt)] in _CHATTER_STARTS):
        r = max(r, 0.89)
    return r


def artist_similarity(cand: Candidate, track_artists: list[str]) -> float:
    names = [normalize(a) for a in track_artists if a]
    if not names or not cand.artists:
        return 0.0
    joined = " ".join(names)
    whole = normalize(cand.artist_text)
    s_whole = max([name_similarity(whole, n) for n in names] + [name_similarity(whole, joined)])
    if unread_letters(cand.artists[0]):
        if _latin_parts_in(cand.artists[0], names):
            s_whole = max(s_whole, 0.9)  # "Official髭男dism" for Official HIGE DANdism
        elif any(in_latin_script(a) and sounds_alike(normalize(cand.artists[0]), normalize(a))
                 for a in track_artists):
            s_whole = max(s_whole, 0.9)  # "사브리나 카펜터", "テイラー・スウィフト": a Latin name written by ear
    cut = normalize(core(cand.artist_text))
    if cut and cut != whole:
        # "BTS 최고": the name, then praise; "GloRila. it's the weekend": a misspelt name, then chatter.
        s_whole = max([s_whole] + [min(0.95, name_similarity(cut, n)) for n in names])
    primary = max(name_similarity(normalize(cand.artists[0]), n) for n in names)
    if primary < 1.0 and any(same_artist(cand.artists[0], a) for a in track_artists):
        primary = 1.0  # "Jay Chou" for 周杰倫: one artist by the alias table
    others = cand.artists[1:]
    if not others:
        return max(s_whole, primary)
    frac = sum(max(name_similarity(normalize(o), n) for n in names) for o in others) / len(others)
    # Extra names that match are a bonus; ones that do not (chatter after a comma) cost little, but the
    # recording without the guests the post names is never as good as the one with them ("Dua Lipa feat.
    # DaBaby - Levitating").
    s_list = primary if primary < ARTIST_MIN else max(0.97 * primary, 0.85 * primary + 0.15 * frac)
    if frac >= 1:
        return max(s_whole, s_list)
    # The guests named match the credits less than exactly ("Essence ft. Justin Bieber & Tems" on the take
    # with Tems alone): the recording crediting them all, when there is one, is the likelier.
    return min(max(s_whole, s_list), 0.98 if frac >= 0.5 else 0.97)


_BRACKETED_RE = re.compile(r"[\(\[]([^\)\]]{3,60})[\)\]]")
_CREDIT_RE = re.compile(r"\b(?:feat|ft|with|from|remaster(?:ed)?|version|performed|karaoke|by)\b", re.IGNORECASE)


def name_aliases(track_name: str) -> set[str]:
    """The names a track is also known by, in its brackets: "Volare" for "Nel blu dipinto di blu (Volare)",
    "강남스타일" for "Gangnam Style (강남스타일)" (not versions or credits: "(Live)", "(feat. X)")."""
    return {normalize(a) for a in _BRACKETED_RE.findall(track_name)
            if not _UNASKED_VERSION_RE.search(a) and not _CREDIT_RE.search(a)} - {""}


_ARTICLES = {"the", "a", "an", "o", "os", "el", "la", "los", "las", "le", "les", "il", "lo", "der", "die", "das"}


def _drop_article(title: str) -> str:
    first, _, rest = title.partition(" ")
    return rest if first in _ARTICLES and rest else title


_INITIALS_RE = re.compile(r"\b\w(?: \w\b)+")


def _joined_initials(title: str) -> str:
    """A normalised title with its spelled-out letters joined: "c r e a m" -> "cream" (C.R.E.A.M., T.N.T.)."""
    return _INITIALS_RE.sub(lambda m: m.group(0).replace(" ", ""), title)


def title_similarity(post_title: str, track_name: str) -> float:
    posts = {normalize(strip_brackets(post_title)), normalize(post_title)} - {""}
    tracks = {normalize(base_title(track_name)), normalize(strip_brackets(track_name)), normalize(track_name),
              normalize(name_credits(track_name)[0])} - {""}
    tracks |= {_joined_initials(t) for t in tracks}
    # The title up to a clause end ("Hurt. what a tune"): a match, but never as sure as the whole title.
    cut = normalize(core(strip_brackets(post_title)))
    best = 0.95 if cut and cut not in posts and cut in tracks else 0.0
    # Or up to a word that starts chatter ("Africa cover is so dumb" after "Weezer's"), the same way; either
    # cut with one typo ("toxci lmaooo fingers too fast") a little less.
    lead = normalize(title_words(leading_words(strip_brackets(post_title))))
    if lead and lead not in posts and lead in tracks:
        best = 0.95
    for short in {cut, lead} - posts - {""}:
        if len(short) >= 5 and any(OSA.distance(short, b) <= 1 for b in tracks):
            best = max(best, 0.88)
    # That cut, three words or more, all in a longer official title: "Killing Me Softly 🎶 Lauryn!!" for
    # "Killing Me Softly With His Song".
    if cut not in posts and len(cut.split()) >= 3 and any(set(cut.split()) <= set(b.split()) for b in tracks):
        best = max(best, 0.86)
    # A title known by its bracketed name.
    if posts & name_aliases(track_name):
        best = max(best, 0.95)
    # An article one side has and the other lacks ("O Leãozinho" for "Leãozinho", "Sound of Silence").
    # Not two different articles: "Das Model" is Kraftwerk's German recording, "The Model" the English one.
    if any(_drop_article(p) == _drop_article(t) and (_drop_article(p) == p or _drop_article(t) == t)
           for p in posts | {cut} - {""} for t in tracks):
        best = max(best, 0.95)
    # An English title written by ear in kana or hangul, or the other way ("Lilac" for "ライラック"); two
    # consonants may do, as the artist must match too.
    if unread_letters(post_title) != unread_letters(track_name) and any(
            sounds_alike(a, b, shortest=2) for a in posts for b in tracks):
        best = max(best, 0.9)
    for a in posts:
        for b in tracks:
            if a == b:
                return 1.0
            r = fuzz.ratio(a, b) / 100
            if (min(len(a), len(b)) >= 6 or (len(a) == len(b) >= 5 and sorted(a) == sorted(b))) \
                    and OSA.distance(a, b) <= 1:
                r = max(r, 0.9)  # one typo; in five letters only two swapped ("Angle" for "Angel")
            at, bt = a.split(), b.split()
            # The post adds a word or two after the title ("Perfect throwback").
            if bt and len(at) > len(bt) and at[:len(bt)] == bt and len(at) - len(bt) <= 6:
                r = max(r, 0.9 - 0.01 * (len(at) - len(bt)))
            # Every word of a multi-word post title inside a long official title (classical works).
            if len(at) >= 2 and set(at) <= set(bt):
                r = max(r, 0.87)
            best = max(best, r)
    return best


_UNASKED_VERSION_RE = re.compile(r"\b(live|remix|mix|acoustic|instrumental|demo|sped up|slowed|reverb|edit|"
                                 r"version|ver|mono|a cappella|acapella|karaoke|cover|rehearsal|take|nightcore|"
                                 r"lofi|lo-fi|flip|unplugged|"
                                 + "|".join(LIVE_WORDS) + r")\b", re.IGNORECASE)


def version_penalty(cand: Candidate, track_name: str) -> float:
    """Prefer the plain recording unless the post asks for a version (live, remix...), then prefer that."""
    base = base_title(track_name)
    suffix = track_name[len(base):] if track_name.startswith(base) else track_name
    found = {m.lower() for m in _UNASKED_VERSION_RE.findall(fold(suffix))}  # "Versión Pop" too
    if cand.versions:
        low = fold(suffix)
        if not low and fold(track_name).startswith(head := fold(base_title(cand.title))):
            low = fold(track_name)[len(head):]  # a suffix without the usual " - ": "FANCY -Japanese ver.-"
        if any(v.split("'")[0] in low or (v == "live" and any(w in low for w in LIVE_WORDS))
               for v in cand.versions):
            return -0.04
        # A version the post names and the track is not: that version or none, so a "(sped up)" or
        # "- Live" post whose version the catalog lacks does not settle for the plain take. A remaster
        # asked for is the exception: the plain recording is the same performance.
        # A language asked for is the same exception: "Into The Night (English ver.)" is named so on its own.
        if set(cand.versions) - {"remaster"} - LANGUAGE_VERSIONS:
            return MISSING_VERSION
    if not found:
        return 0.01 if _unnamed_dash_suffix(track_name) else 0.0
    return 0.02 if found <= {"edit", "version", "ver", "mono"} else 0.04


@lru_cache(maxsize=8192)
def _unnamed_dash_suffix(track_name: str) -> bool:
    """A " - " suffix no version word names ("Faded - Restrung"): still some other take than the plain one.
    Brackets hold other names and sources ("(Queencard)", "(From "RRR")"); a dash, versions. (Cached: asked
    for every reading and answer scored.)"""
    dash = track_name.split(" - ", 1)[1] if " - " in track_name else ""
    unknown = {w for w in normalize(dash).split() if not w.isdigit()} - _PLAIN_SUFFIX_WORDS - _KIND_WORDS
    return bool(unknown) and not fold(dash).startswith("from ")


@dataclass
class _Open:
    """A post the first pass could not settle."""

    post_id: str
    key: str
    cleaned: str
    cands: list[Candidate]
    first: list[dict[str, Any]] = field(default_factory=list)
    album_post: bool = False
    first_query: str = ""
    plan: list[str] | None = None  # the fallback searches still to try, most likely first
    strong: bool = False  # a reading with an artist/title structure: worth every fallback
    seen_before: int = 0  # tracks the run had seen when this post was last matched against them


@dataclass
class Match:
    track: dict[str, Any]
    score: float
    rank: int


_TURNED_DOWN_RE = re.compile(r"\b(?:no|not|without|minus|sin|sans|ohne|senza|sem)\s+(?:the\s+)?([^\s,.;:!?()]+"
                             r"(?:\s+[^\s,.;:!?()]+)?)", re.IGNORECASE)


def credit_penalty(artists: list[str], post_text: str) -> float:
    """A guest the post turns down ("no DaBaby", "the solo one") counts against the recordings crediting
    them: the post wants the version without."""
    if len(artists) < 2:
        return 0.0
    refused, solo, words = _credits_asked(post_text)
    guests = [normalize(a) for a in artists[1:]]
    if any(name_similarity(r, g) >= 0.9 or name_similarity(r.split()[0], g) >= 0.9
           for r in refused if r for g in guests):
        return 0.06
    if solo:
        return 0.03
    # A guest the post does not name at all ("J Balvin & Willy William - Mi Gente" for the one featuring
    # Beyoncé): the recording without them, when there is one, is the likelier.
    return 0.02 if any(g and f" {g} " not in words for g in guests) else 0.0


@lru_cache(maxsize=1024)
def _credits_asked(post_text: str) -> tuple[tuple[str, ...], bool, str]:
    """What a post says of credits, read once per post (every track is scored against it): the names it
    turns down, whether it asks for a solo take, and its words padded for whole-word lookups."""
    refused = tuple(normalize(m.group(1)) for m in _TURNED_DOWN_RE.finditer(post_text))
    solo = bool(re.search(r"\bsolo\b", post_text, re.IGNORECASE))
    return refused, solo, f" {normalize(post_text)} "


def score_track(cand: Candidate, track: dict[str, Any], post_text: str) -> float:
    """Combined 0..1 score of one track for one reading of the post (0 = rejected)."""
    name = str(track.get("name") or "")
    artists = track_artists(track)
    if not name or not artists:
        return 0.0
    if cand.rule == "style":
        return score_style(cand, name)
    if "karaoke" in cand.versions and STYLE_OF_RE.search(name) and (style := score_style(cand, name)) > 0:
        # "The Killers - Mr. Brightside (karaoke version)": the original's artist inside the karaoke's name
        # (or, below, the karaoke label as the post names it: "Yellow (Karaoke Version) - Sing King Karaoke").
        return style
    t = title_similarity(cand.title, name)
    if t < TITLE_MIN:
        return 0.0
    # Guests a name credits count as credited ("360 featuring robyn & yung lean" by Charli xcx alone).
    guests = [g for g in name_credits(name)[1] if g not in artists] if len(cand.artists) > 1 else []
    # A partner the post names inside the name's version ("Elvis vs JXL" for "... - JXL Radio Edit Remix").
    guests += [g for g in cand.artists[1:] if len(normalize(g)) >= 3 and f" {normalize(g)} " in f" {normalize(name)} "
               and g not in guests]
    a = artist_similarity(cand, artists + guests)
    if a < ARTIST_MIN and t >= 1.0 and _near_name(cand, artists, len(normalize(base_title(name)).split())):
        a = ARTIST_MIN  # "Hozer", "Lynard Skynard" - with a whole title of two words or more: a name misspelt
    if a < ARTIST_MIN:
        return 0.0
    if is_derivative(name, artists) and not DERIVATIVE_RE.search(post_text) and a < 0.97:
        return 0.0
    if wrong_version(cand, track):
        return 0.0  # the post names a version ("Live at Wembley '86", "Sped Up"), this is another: that or none
    penalty = version_penalty(cand, name)
    if title_suffix(name) and normalize(cand.title) == normalize(name):
        # "I Feel Love - 12\" Version", "L'Amour Toujours - Small Mix": the post prints this version's whole
        # name, as scrobblers do: that one, before the plain recording its shorter reading also fits (the
        # more words of the name the post printed, the surer).
        extra = len(normalize(name).split()) - len(normalize(base_title(name)).split())
        penalty = -min(0.05, max(0.02, 0.01 * extra))
    if penalty > 0 and _credits_the_guests(cand, artists, name):
        # "Lil Nas X - Old Town Road ft. Billy Ray Cyrus": the remix is named by its partner, though a plain
        # recording crediting the same guests is still the likelier.
        penalty = min(penalty, 0.01)
        if not any(f" {normalize(g)} " in f" {normalize(base_title(name))} " for g in cand.artists[1:]) \
                and any(f" {normalize(g)} " in f" {normalize(_FEAT_BRACKET_RE.sub('', title_suffix(name)))} "
                        for g in cand.artists[1:]):
            penalty = 0.0  # "Elvis vs JXL": the partner's own version ("... - JXL Radio Edit Remix")
    return 0.5 * t + 0.5 * a - penalty - credit_penalty(artists, post_text) + suffix_preference(cand, track)


_FEAT_BRACKET_RE = re.compile(r"[\(\[]?\s*\b(?:feat|ft|featuring|with)\b\.?\s[^\)\]]*[\)\]]?", re.IGNORECASE)


def _credits_the_guests(cand: Candidate, artists: list[str], name: str) -> bool:
    """The post names guests, and the track credits each of them (as an artist or in its name)."""
    guests = [g for g in cand.artists[1:] if normalize(g)]
    return bool(guests) and all(_credits(g, artists, name) for g in guests)


def _credits(wanted: str, artists: list[str], name: str) -> bool:
    """A track (its `artists` and `name`) credits the artist a post calls `wanted`: among its artists, or in
    its name ("Calm Down (with Selena Gomez)")."""
    w = normalize(wanted)
    return f" {w} " in f" {normalize(name)} " or max((name_similarity(w, normalize(a)) for a in artists),
                                                      default=0.0) >= ARTIST_MIN


def _near_name(cand: Candidate, artists: list[str], words: int) -> bool:
    """Beside a whole title of `words` words, the reading's first artist is one letter from a credited
    name (of four letters or more beside three title words, of five beside two: "Hozer - Too Sweet"), or,
    beside three, a longer name misspelt in a few letters ("Lynard Skynard" for Lynyrd Skynyrd)."""
    if not cand.artists or words < 2:
        return False
    wanted = normalize(cand.artists[0])
    if len(wanted) < (4 if words >= 3 else 5):
        return False
    return any(OSA.distance(wanted, n) <= 1 or (words >= 3 and len(wanted) >= 8 and fuzz.ratio(wanted, n) >= 80)
               for n in (normalize(a) for a in artists if a))


def score_style(cand: Candidate, name: str) -> float:
    """A "Title (In the Style of Artist)" reading against a track named the same way: the title and the
    original's artist must match inside the track's name (its own artist is the karaoke label)."""
    style = STYLE_OF_RE.search(name)
    if not style:
        return 0.0  # the original recording is not what a karaoke post asks for
    t = title_similarity(cand.title, style.group("title"))
    a = name_similarity(normalize(cand.artists[0]), normalize(style.group("artist")))
    if t < TITLE_MIN or a < ARTIST_MIN:
        return 0.0
    # "[Karaoke Version]" when the post sings along, the plain soundalike otherwise.
    karaoke = "karaoke" in fold(name)
    return 0.5 * t + 0.5 * a - (0.0 if karaoke == ("karaoke" in cand.versions) else 0.02)


# Words of a bracket or " - " suffix that say nothing about which recording it is.
_PLAIN_SUFFIX_WORDS = {"version", "feat", "ft", "featuring", "with", "the", "a", "of", "from", "and", "by", "de", "in",
                       "le", "la", "les", "el", "los", "las", "il", "lo", "der", "die", "das", "o", "os"}


def suffix_preference(cand: Candidate, track: dict[str, Any]) -> float:
    """The post's own bracket or " - " suffix ("(Original Mix)", "(Naked version)", "(Matita Perê)") picks,
    among recordings that already match title and artist, the one whose name or album carries the same
    words: 0.03 per shared word, at most 0.06, enough to outweigh the penalty for an unasked version (the
    post did ask, in its own words). Matching is still decided by TITLE_MIN and ARTIST_MIN alone."""
    asked = set(_suffix_words(cand.title)) - _PLAIN_SUFFIX_WORDS
    if not asked:
        return 0.0
    name = str(track.get("name") or "")
    offered = set(normalize(f"{title_suffix(name)} {_album_name(track)}").split())
    return 0.03 * min(2, len(asked & offered))


# Words of a version suffix that only say which kind of version, not which one.
_KIND_WORDS = {"live", "at", "on", "in", "remix", "mix", "acoustic", "unplugged", "remaster", "remastered", "edit",
               "radio", "session", "sessions", "performance", "recorded", "vivo", "ao", "en", "dal", "directo",
               "cover", "karaoke", "instrumental", "demo", "sped", "up", "slowed", "reverb", "nightcore", "lofi",
               "lo", "fi", "flip", "extended", "version", "ver", "acapella", "cappella", "a"}


@lru_cache(maxsize=4096)
def _suffix_words(title: str) -> tuple[str, ...]:
    """The normalised words of a title's bracket and " - " suffix (asked per track scored: computed once)."""
    return tuple(normalize(title_suffix(title)).split())


def names_a_version(cand: Candidate) -> bool:
    """The reading's suffix is a version's name ("(Live at Wembley '86)", "- Acoustic", "(Pentatonix
    cover)"), not chatter that mentions one ("(the tribute band was actually great live)")."""
    part = _version_part(cand.title)
    words = normalize(part).split()
    return bool(words) and (
        # Asked for, not turned down ("(the real one, not the remix)"); a cover is asked by naming it, a
        # mix by a name that ends with the word ("- Thin White Duke Mix", not "not the remix").
        bool(cand.versions) or bool({"cover", "karaoke"} & set(words))
        or (words[-1] in ("mix", "remix") and _title_case(part)))


@lru_cache(maxsize=4096)
def _version_part(title: str) -> str:
    """The bracket or " - " suffix of `title` that names a version: six words at most, or a name in title
    case ("(Live, And All That Could Have Been)"), never "original"; "" when none does. Other brackets
    ("(Hot Fuss, 2004)": an album, a year) are not part of it."""
    parts = bracket_contents(title)
    if " - " in title:
        parts.insert(0, drop_brackets(title.split(" - ", 1)[1]))
    for part in parts:
        words = normalize(part).split()
        if not words or "original" in words or not VERSION_NAME_RE.search(fold(part)):
            continue
        if len(words) <= 6 or _title_case(part):
            return part
    return ""


def _title_case(text: str) -> bool:
    """Most words capitalised, as names are written ("Live, And All That Could Have Been"); chatter is not."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


_YEAR_MARK_RE = re.compile(r"\s['’](\d\d)$")


def wrong_version(cand: Candidate, track: dict[str, Any]) -> bool:
    """The post names a version and this recording is not it: another one of the kind (Live Aid for "Live at
    Wembley '86", the live take for "DJ Buddha Remix"), or, when the name says only the kind ("Sped Up",
    "Demo"), a recording that is not of that kind."""
    if (year := _YEAR_MARK_RE.search(cand.title)) and year.group(1) not in normalize(str(track.get("name") or "")):
        return True  # "Blue Monday '88": that year's recording, not "Blue Monday" ("Summer of '69" names it)
    if not names_a_version(cand):
        return False
    if "cover" in normalize(_version_part(cand.title)).split() and cand.artists:
        # "Calum Scott - Dancing On My Own (Robyn cover)": a cover of Robyn, by the reading's artist (the
        # usual sense; "(epic cover)" names nobody). Read the other way ("Kate Bush - Running Up That Hill
        # (Meg Myers cover)") this claims the original: the rarer wording, accepted as a known miss.
        credited = [normalize(a) for a in track_artists(track)]
        if any(name_similarity(normalize(cand.artists[0]), c) >= ARTIST_MIN for c in credited):
            return False
    if _specific_words(cand):
        # What the name says besides the kind (a venue, a remixer, a cover artist) decides: "Waves (Robin
        # Schulz Remix)" is "Waves - Robin Schulz Radio Edit".
        return another_performance(cand, track)
    return bool(cand.versions) and version_penalty(cand, str(track.get("name") or "")) > 0


def _specific_words(cand: Candidate) -> set[str]:
    return {w for w in normalize(_version_part(cand.title)).split() if len(w) >= 2} - _PLAIN_SUFFIX_WORDS - _KIND_WORDS


def another_performance(cand: Candidate, track: dict[str, Any]) -> bool:
    """The post's version suffix names something (a venue, a year, a remixer, a cover artist) that this
    recording's name, album and artists all lack."""
    specific = _specific_words(cand)
    if not specific:
        return False
    name = str(track.get("name") or "")
    artists = " ".join(track_artists(track))
    offered = set(normalize(f"{title_suffix(name)} {_album_name(track)} {artists}").split())
    return not specific & offered


def score_concat(text: str, track: dict[str, Any]) -> float:
    """For posts without separators: the whole text must be 'artist title' or 'title artist'."""
    name = str(track.get("name") or "")
    artists = track_artists(track)
    if not name or not artists or is_derivative(name, artists):
        return 0.0
    post = normalize(text)
    best = 0.0
    for title in {base_title(name), name}:
        for artist in (artists[0], " ".join(artists)):
            for combo in (f"{artist} {title}", f"{title} {artist}"):
                best = max(best, fuzz.ratio(post, normalize(combo)) / 100)
    return best if best >= 0.95 else 0.0


# Readings with a clear artist/title structure: only their posts are worth a second search (a sentence read
# at "de", a colon or a comma is too often not a song at all to spend the run's search budget on).
# Readings that name the song another way: a bracketed title, the post's other script, Latin letters, the
# catalog's name for a nickname.
RENAMING_RULES = {"alias", "other-script", "latin", "nickname", "respelled", "title-alias"}
STRONG_RULES = {"dash", "dash-swapped", "dash3", "by", "cover", "style", "quote", "fields", "pipe", "slash",
                "slash-swapped", "segment-bracket", "partner", "member"} | RENAMING_RULES
# Not a scrobbler's "from the album X" or "(album: X)": where the song is from.
ALBUM_RE = re.compile(r"(?<!from )(?<!off )\b(?:full|whole|entire|complete|the|new)\s+(?:album|lp|record|ep)\b|"
                      r"\bdiscography\b|(?<![\(\[])\balbum\s*:|[\(\[]\s*(?:full\s+)?(?:album|lp|ep)\s*[\)\]]|"
                      # "el álbum completo", "das ganze Album", "l'album entier", "o disco inteiro"
                      r"\b(?:[aá]lbum|disco|albüm)\s+(?:completo|entero|inteiro|entier|complet|intero|komplett)\b|"
                      r"\b(?:ganze|komplette|tout l'|todo el|todo o|tutto l')\s*(?:album|[aá]lbum|disco)\b",
                      re.IGNORECASE)
_SOUNDTRACK_RE = re.compile(r"\b(?:soundtrack|original score|ost|music from|motion picture|series|season|netflix|"
                            r"video game|original game)\b", re.IGNORECASE)


def _album_name(track: dict[str, Any]) -> str:
    album = track.get("album")
    return str(album.get("name") or "") if isinstance(album, dict) else ""


def names_its_album(track: dict[str, Any]) -> bool:
    """A title track: the post that says "album" means the record, not this track."""
    album = _album_name(track)
    return bool(album) and normalize(base_title(str(track.get("name") or ""))) == normalize(base_title(album))


def theme_of_its_show(track: dict[str, Any]) -> bool:
    """"Squid Game" on "Squid Game (Original Soundtrack)": a post naming only "Squid Game" means the show."""
    album = _album_name(track)
    title = normalize(base_title(str(track.get("name") or "")))
    return bool(_SOUNDTRACK_RE.search(album)) and bool(title) and title in normalize(album)


def title_only_match(cand: Candidate, results: list[dict[str, Any]], cleaned: str, threshold: float) -> Match | None:
    """A post that names no artist: claim only "artist title" written together, or a title that exactly
    one artist has among the answers (originals only); several artists with that title = ambiguous."""
    if (karaoke := karaoke_match(cand, results)) is not None:
        return karaoke
    if (strip_brackets(cleaned).count(",") > 1 or "!" in cleaned or len(normalize(cleaned).split()) > 10) \
            and version_phrase(cleaned) is None:
        return None  # a sentence, unless it opens with a song and its version (the reading is that phrase)
    concat = [Match(t, s, i) for i, t in enumerate(results)
              if (s := score_concat(cleaned, t)) >= threshold and not wrong_version(cand, t)]
    if concat:
        return choose(concat)
    wanted = normalize(strip_brackets(cand.title))
    # "Hey Jude 🎶 na na na": the title up to a clause end, when only lower-case chatter follows it.
    cut = core(cand.title)
    after = cand.title[len(cut):] if cand.title.startswith(cut) else ""
    # Not a lower-case phrase ("that's so true lol"): a sentence more likely than a title.
    lower_case = cut == cut.lower() != cut.upper()  # (scripts without case are not lower-case)
    short = normalize(strip_brackets(cut)) if after.strip() and after == after.lower() and not lower_case else ""
    exact: list[Match] = []
    whole: list[Match] = []  # the post's title is this recording's whole name, suffix and all
    for rank, track in enumerate(results):
        name = str(track.get("name") or "")
        artists = track_artists(track)
        if (not name or not artists or is_derivative(name, artists) or theme_of_its_show(track)
                or wrong_version(cand, track)):
            continue
        # The title alone, its bracketed name ("Volare", "강남스타일"), or the whole name when the post names the
        # version ("sweater weather slowed + reverb").
        names = {normalize(name), normalize(base_title(name))} | name_aliases(name)
        full = normalize(name) == normalize(cand.title)
        if full:
            score = 0.9  # the whole name, version and all ("All Too Well (Taylor's Version)")
        elif wanted in names or fuzz.ratio(normalize(base_title(name)), wanted) >= 95:
            score = 0.88
        elif short and short in names:
            score = 0.86
        else:
            continue
        # The whole name printed ("Feather (Radio Edit)") is that recording, before the plain one.
        whole_name = full and bool(title_suffix(name))
        exact.append(Match(track, score + 0.01 if whole_name else score - version_penalty(cand, name), rank))
        if whole_name:
            whole.append(exact[-1])
    # A suffix that names this recording (a year, a place, a mix), not a bare "Remastered" any performer has.
    specific = set(_suffix_words(cand.title)) - _KIND_WORDS - _PLAIN_SUFFIX_WORDS
    if specific and _one_performer(whole):
        return choose(whole)  # "Enter Sandman (Remastered 2021)": that recording's whole name, one performer
    # "All Too Well (10 Minute Version)": the recordings whose name holds what the suffix says.
    named = [m for m in exact if specific and specific <= set(normalize(str(m.track.get("name") or "")).split())]
    if _one_performer(named):
        return choose(named)
    # Several performers of one title: ambiguous, even when one released it first ("Hallelujah": Leonard
    # Cohen's or Jeff Buckley's? "One": U2's or Metallica's?). A guess is worse than none.
    return choose(exact) if _one_performer(exact) else None


def _one_performer(matches: list[Match]) -> bool:
    """The matches are recordings by one performer (their first artists), and there is one at least."""
    return len({normalize(track_artists(m.track)[0]) for m in matches}) == 1


_KARAOKE_TITLE_RE = re.compile(r"^(?P<title>[^,!?]{1,80}?)[\s(\[]+karaoke(?:\s+ver(?:sion|\.)?\b|\s*[)\]]|\s*$)",
                               re.IGNORECASE)


def karaoke_match(cand: Candidate, results: list[dict[str, Any]]) -> Match | None:
    """"Take On Me karaoke version at 3am": the one karaoke recording of the title the words before "karaoke"
    name ("Take On Me (Originally Performed by a-ha) [Karaoke Version]"); two labels' karaoke takes = none."""
    m = _KARAOKE_TITLE_RE.match(cand.title)
    wanted = normalize(strip_brackets(m.group("title"))) if m else ""
    if not wanted:
        return None
    found: dict[str, Match] = {}
    originals: set[str] = set()
    for rank, track in enumerate(results):
        name = str(track.get("name") or "")
        artists = track_artists(track)
        if not artists:
            continue
        if "karaoke" not in fold(name):
            if not is_derivative(name, artists) and normalize(base_title(name)) == wanted:
                originals.add(normalize(artists[0]))
            continue
        style = STYLE_OF_RE.search(name)
        if normalize(style.group("title") if style else base_title(name)) == wanted:
            found.setdefault(normalize(artists[0]), Match(track, 0.88, rank))
    # One label's take of a title one performer recorded ("Hello karaoke": Adele's or Lionel Richie's?).
    return next(iter(found.values())) if len(found) == 1 and len(originals) <= 1 else None


def _spans(words: list[str], needle: list[str]) -> list[tuple[int, int]]:
    n = len(needle)
    return [(i, i + n) for i in range(len(words) - n + 1) if n and words[i:i + n] == needle]


_COVER_BRACKET_RE = re.compile(r"[\(\[][^\)\]\(\[]*\bcover\b[^\)\]\(\[]*[\)\]]", re.IGNORECASE)


def contained_match(results: list[dict[str, Any]], cleaned: str) -> Match | None:
    """A post that names the song in a sentence ("can't stop listening to the beatles let it be"): a track
    whose whole title and one whole artist name both appear, apart, in the post's words; a short title only
    next to the name, a longer one anywhere; a title of three words or more also right by one telling word
    of the name (a surname, a first name), at a lower score; originals only unless the post asks for a
    karaoke or a cover; several different songs that fit = ambiguous: none."""
    # "Melanie Martinez - Toxic (Britney Spears cover)": the bracket names whose song it is, not who plays it.
    words = normalize(_COVER_BRACKET_RE.sub(" ", cleaned)).split()
    if not words or len(words) > 30 or not looks_like_music(cleaned):
        return None  # "watching Bohemian Rhapsody, the Queen movie": the film, not the song
    derivative_ok = bool(DERIVATIVE_RE.search(cleaned))
    asked = Candidate(title=cleaned, versions=version_words(cleaned))
    # The version a bracket names ("... (Live at Wembley '86)"), read as a title's suffix.
    named = Candidate(title="_ " + " ".join(f"({b})" for b in _BRACKETED_RE.findall(cleaned)), versions=asked.versions)
    marks = re.findall(r"(?<!\w)['’](\d\d)\b", cleaned)
    found: list[tuple[float, Match, tuple[str, str]]] = []
    for rank, track in enumerate(results):
        name = str(track.get("name") or "")
        artists = track_artists(track)
        if not name or not artists or (is_derivative(name, artists) and not derivative_ok):
            continue
        if theme_of_its_show(track):
            continue
        if wrong_version(named, track) or any(m not in normalize(name).split() for m in marks):
            continue  # not the version the post names (a bracket's, or a year's: "Blue Monday '88")
        penalty = version_penalty(asked, name)
        if penalty >= MISSING_VERSION:
            continue  # "... - Live" and the track is not live
        best = 0.0
        titles = {normalize(base_title(name)), normalize(strip_brackets(name))}
        if name_aliases(name):
            titles.add(normalize(name))  # "blue da ba dee" for "Blue (Da Ba Dee)": the name with its other name
        for title in titles - {""}:
            tw = title.split()
            long_title = len(tw) >= 2 and len(title) >= 8
            for artist in artists:
                aw = normalize(artist).split()
                if long_title and aw[:1] == ["the"] and len(aw) > 1 and not _spans(words, aw):
                    aw = aw[1:]  # "the beatles" or "beatles"
                if len("".join(aw)) < (3 if long_title else 4):
                    continue
                for t0, t1 in _spans(words, tw):
                    for a0, a1 in _spans(words, aw):
                        if t0 < a1 and a0 < t1:
                            continue  # the same words
                        gap = a0 - t1 if a0 >= t1 else t0 - a1
                        # A one-word title must sit next to the name ("måneskin beggin"): "love is free"
                        # is not "Love" by The Free.
                        if long_title or gap <= 1:
                            best = max(best, len(tw) + len(aw))
                # "WHITNEY. I WILL ALWAYS LOVE YOU": one telling word of the name right by a long title.
                if len(tw) >= 3 and len(title) >= 12:
                    for part in {aw[0], aw[-1]} - _CHATTER_STARTS:
                        if len(part) >= 5 and any(0 <= (a0 - t1 if a0 >= t1 else t0 - a0 - 1) <= 1
                                                  for t0, t1 in _spans(words, tw) for a0, _ in _spans(words, [part])):
                            best = max(best, len(tw) + 0.5)
        if best:
            partial = best != int(best)
            score = (0.87 if partial else 0.9) - penalty - credit_penalty(artists, cleaned)
            key = (normalize(base_title(name)), normalize(artists[0]))
            found.append((best, Match(track, score, rank), key))
    if not found:
        return None
    top = max(f[0] for f in found)
    leaders = [f for f in found if f[0] == top]
    songs = {f[2] for f in leaders}
    # Two songs, or one title by two performers both named ("Hurt, Johnny Cash's and Nine Inch Nails'").
    if len(songs) > 1 or any(f[2][0] in {s[0] for s in songs} and f[2] not in songs for f in found):
        return None
    return choose([f[1] for f in leaders])


def likely_reading(cands: list[Candidate], results: list[dict[str, Any]]) -> Candidate:
    """The reading whose artist the first answers support best (settles "Title - Artist"), else the prior."""
    names = [a for t in results for a in track_artists(t)]

    def evidence(cand: Candidate) -> float:
        return max((name_similarity(normalize(cand.artist_text), normalize(n)) for n in names), default=0.0)
    return max(cands, key=lambda c: (round(evidence(c), 1), c.prior))


def _words(q: str) -> frozenset[str]:
    """A query's words for comparing queries; "the" left out, as searches leave it out of artist names."""
    return frozenset(normalize(re.sub(r"\b(?:track|artist):", " ", q)).split()) - {"the"}


class Vocabulary:
    """The words of the run's answers (track and artist names), bounded, indexed so that a word one typo
    away from a known word is found without scanning them all."""

    def __init__(self, limit: int = VOCABULARY_MAX) -> None:
        self.words: set[str] = set()
        self.limit = limit
        self._near = spelling.TypoIndex()

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def add_text(self, text: str) -> None:
        for word in normalize(text).split():
            if word in self.words or len(self.words) >= self.limit:
                continue
            self.words.add(word)
            if len(word) >= 5:
                self._near.add(word)

    def unknown(self, q: str) -> set[str]:
        return set(_words(q)) - self.words

    def mend(self, q: str) -> dict[str, str]:
        """`q`'s unknown words -> the known word each is a typo of, when every unknown word has one; else {}
        (an unseen word that is no typo of a known one is not yet a typo)."""
        unknown = self.unknown(q)
        fixes = {w: fix for w in unknown if (fix := self.correction(w))}
        return fixes if unknown and len(fixes) == len(unknown) else {}

    def correction(self, word: str) -> str | None:
        """The one known word a typo away from `word` (an unknown word of five letters or more), else None."""
        if len(word) < 5 or word in self.words:
            return None
        near = self._near.near(word)
        return next(iter(near)) if len(near) == 1 else None


class SeenTracks:
    """The tracks the run's answers held, by artist name and by title (bounded): a song that recurs in other
    words ("Metalica - Enter Sandman" after "Metallica – Enter Sandman") is found without a request."""

    def __init__(self, limit: int = SEEN_TRACKS_MAX) -> None:
        self.limit = limit
        self.ids: set[str] = set()
        self._by_key: dict[str, list[dict[str, Any]]] = {}

    def add(self, track: dict[str, Any]) -> None:
        track_id, name = track.get("id"), str(track.get("name") or "")
        if not isinstance(track_id, str) or not name or track_id in self.ids or len(self.ids) >= self.limit:
            return
        self.ids.add(track_id)
        keys = {normalize(base_title(name))}
        keys |= {_drop_the(normalize(a)) for a in track_artists(track)}
        for key in keys - {""}:
            self._by_key.setdefault(key, []).append(track)

    def lookup(self, cands: list[Candidate]) -> list[dict[str, Any]]:
        """Tracks sharing an artist name or a title with any reading."""
        found: dict[str, dict[str, Any]] = {}
        for cand in cands:
            keys = {_drop_the(normalize(a)) for a in cand.artists}
            keys |= {normalize(core(strip_brackets(cand.title))), normalize(strip_brackets(cand.title))}
            for key in keys - {""}:
                for track in self._by_key.get(key, ()):
                    found.setdefault(str(track["id"]), track)
        return list(found.values())


def fallback_plan(cands: list[Candidate], first: list[dict[str, Any]], first_query: str,
                  known: Vocabulary | None = None, *, page: int | None = None) -> list[str]:
    """Field-filtered searches for a post the first search did not settle, most likely first.

    The first answers were not empty (our track crowded out by covers?): the reading they support, with
    both fields. They were empty: some word is unknown to the engine (chatter, a typo), and an engine
    that wants every word will fail any query holding all the first one's words, so only readings with
    other words are worth a search: the next-best distinct reading, then the best reading's title alone
    (a typo in the artist) and its artist alone (a typo in the title; we check the title ourselves)."""
    if not cands:
        return []
    if not first or (page is not None and len(first) < page):
        # Empty, or less than a page with nothing acceptable: the engine has no track holding every word
        # (the covers it returned hold them; "Sweet Child of Mine" is "... O' Mine"), so the same words in
        # fields cannot find more: as after an empty answer, other words or one side.
        return _one_side_plan(cands, first_query, known)
    best = likely_reading(cands, first)
    ordered = [best] + [c for c in cands if c is not best]
    tried = _words(first_query)

    def hopeless(q: str) -> bool:
        return not q or (not first and _words(q) >= tried)

    readings = [c for c in ordered if not hopeless(c.filtered_query)]
    # One field at a time from the reading most worth a search: the first with other words, else the best.
    lead = readings[0] if readings else best
    queries = [c.filtered_query for c in readings]
    if lead.search_title:
        queries.append(f'track:"{lead.search_title}"')
    if lead.search_artist:
        queries.append(f'artist:"{lead.search_artist}"')
    return [q for q in dict.fromkeys(queries) if not hopeless(q)]


# Readings whose order is a convention, not a fact ("A - T" is often "T - A"): search a side as free text,
# which finds it as an artist or as a title.
_UNORDERED_RULES = {"dash", "dash-swapped", "dash3", "pipe", "slash", "slash-swapped"}


def _one_side_plan(cands: list[Candidate], first_query: str, known: Vocabulary | None) -> list[str]:
    """After an empty answer one word at least is unknown to the engine: chatter, a typo ("Elvis Pressley"),
    a transliteration ("Gruppa Krovi"). `known` holds the words of the run's answers so far. First the
    query with its typos mended, when each is one letter away from exactly one known word ("pressley" ->
    "presley") and every other word is known; then a reading that only drops words of the first query
    (the chatter: "Nena mit 99 Luftballons – Kindheitserinnerungen" -> Nena, 99 Luftballons); then one
    side at a time, which finds the song when the other side holds the unknown word: for a dash reading
    (either side may be the artist) the artist first (a title typo or a title in another script) unless
    only the title side is in Latin letters, for a "Title by Artist" or quoted reading the title (on the
    studied sets its answer held the song far more often; the artist's answer mostly showed the catalog
    lacks the song), either way unless only the first side holds a word like a typo; then readings with
    other words; the song named another way (an alias in brackets, another script) before the sides."""
    best = cands[0]
    tried = _words(first_query)
    fixes = known.mend(first_query) if known is not None else {}
    mended = [" ".join(fixes.get(w, w) for w in normalize(first_query).split())] if fixes else []
    fewer = _trimmed(cands, tried)
    fewer += [c.filtered_query for c in cands if c.search_artist and _words(c.filtered_query) < tried]
    if best.rule in _UNORDERED_RULES:
        sides = [best.search_artist, best.search_title]
    else:
        sides = [f'track:"{best.search_title}"' if best.search_title else "",
                 f'artist:"{best.search_artist}"' if best.search_artist else ""]
    if best.rule in _UNORDERED_RULES and unread_letters(sides[0]) and in_latin_script(sides[1]):
        # "사브리나 카펜터 - Espresso" as written: catalogs list most names in Latin letters, so that side is
        # likelier known.
        sides.reverse()
    else:
        # A well-known artist's name spelt as listed holds no typo: the other side does.
        spelt = {best.search_artist, f'artist:"{best.search_artist}"'} if best.artists and is_known_artist(
            best.artists[0]) else set()
        exposure = [(False, 0) if side in spelt else _typo_exposure(side, known) for side in sides]
        if exposure[0] > exposure[1]:
            sides.reverse()
    others = [c.filtered_query for c in cands[1:] if not _words(c.filtered_query) >= tried]
    # The song named another way: a title in brackets ("Volare (Nel blu dipinto di blu)") or the post's
    # other script ("عمرو دياب - تملي معاك | Amr Diab - Tamally Maak"), before one side of the first.
    renamed = [c.filtered_query for c in cands[1:] if c.rule in RENAMING_RULES]
    # The first search used the catalog's title from the alias table ("あの夏へ" for "one summer's day"); this
    # catalog may list the song as the post wrote it: the post's own words next.
    own = [c.query for c in cands[1:2] if best.rule == "title-alias"]
    return [q for q in dict.fromkeys(own + mended + fewer + renamed + sides + others) if q and _words(q)]


_COPULA_RE = re.compile(r"^(?P<subject>(?:\S+\s+){1,4}\S+)\s+(?:is|was|are)\s+\S+\s+\S+", re.IGNORECASE)


def _sentence_subject(q: str) -> str:
    """A long title-only post that says something of the song ("troye sivan rush is a gym song and I will not
    elaborate"): search its subject, the words before "is", which an engine that wants every word can find."""
    m = _COPULA_RE.match(q) if len(q.split()) >= 8 else None
    return m.group("subject") if m else q


def _title_cased(title: str) -> bool:
    """Every word of four letters or more starts with a capital ("Time of the Season")."""
    words = [w for w in title.split() if len(w) >= 4 and w.isalpha()]
    return bool(words) and all(w[0].isupper() for w in words)


def _trimmed(cands: list[Candidate], tried: frozenset[str]) -> list[str]:
    """The readings' `trimmed_query`s that leave out some of the words tried, one per set of words."""
    out: dict[frozenset[str], str] = {}
    for cand in cands:
        q = cand.trimmed_query
        if q and _words(q) < tried:
            out.setdefault(_words(q), q)
    return list(out.values())


def _typo_exposure(q: str, known: Vocabulary | None) -> tuple[bool, int]:
    """How likely one side of an empty query holds its unknown word, for searching the other side first: a
    word one letter away from a word of the run's answers or from a far more common word ("pressley") is a
    likely typo; otherwise typos fall per letter typed, in words long enough to misspell and not already
    seen in an answer ("Arctic Monkies" before "505"), counted in steps of four letters so that near-ties
    keep the artist first (its answer also tells when the catalog lacks the song: `_saw_whole_artist`)."""
    words = {w for w in _words(q) if known is None or w not in known}
    suspect = any((known is not None and known.correction(w)) or spelling.looks_misspelt(w) for w in words)
    return suspect, sum(len(w) for w in words if len(w) >= 4) // 4


def choose(matches: list[Match]) -> Match | None:
    """Best match; popularity (when the API still sends it) and search rank break near-ties."""
    if not matches:
        return None
    matches.sort(key=lambda m: (-round(m.score, 2), -(m.track.get("popularity") or 0), m.rank))
    return matches[0]


# --- the resolver ---------------------------------------------------------------------------------


class Resolver:
    def __init__(self, spotify: SpotifyClient, cache: ResolutionCache | None = None, *,
                 threshold: float = THRESHOLD, max_searches_per_post: float = MAX_SEARCHES_PER_POST) -> None:
        self.spotify = spotify
        self.cache = cache
        self.memory = MemoryCache()  # in front of any persistent cache: one lookup per key per run
        self.threshold = threshold
        self.max_searches_per_post = max_searches_per_post
        self.posts = 0
        self.searches = 0
        self.counts: Counter[str] = Counter()
        self.vocabulary = Vocabulary()  # words of the run's answers: tells a typo from a known word
        self.seen = SeenTracks()  # tracks of the run's answers: songs that recur cost no request

    @property
    def stats(self) -> dict[str, Any]:
        resolved = sum(self.counts[m] for m in ("link", "search", "cache"))
        hits, misses = self.counts["cache_hits"], self.counts["cache_misses"]
        return {
            "posts": self.posts,
            "resolved": resolved,
            "none": self.counts["none"],
            "by_method": {m: self.counts[m] for m in ("link", "search", "cache", "none")},
            "searches": self.searches,
            "searches_per_post": round(self.searches / self.posts, 3) if self.posts else 0.0,
            "cache_hits": hits,
            "cache_misses": misses,
            "cache_hit_rate": round(hits / (hits + misses), 3) if hits + misses else 0.0,
            "seen_hits": self.counts["seen_hits"],  # posts settled by a track an earlier answer held
            "errors": self.counts["errors"],
            "budget_exhausted": self.counts["budget_exhausted"],
            "requests": dict(self.spotify.counts),
        }

    def resolve_posts(self, posts: Iterable[Mapping[str, Any]]) -> Iterator[Resolution]:
        """One Resolution per post, in input order."""
        chunk: list[Mapping[str, Any]] = []
        for post in posts:
            chunk.append(post)
            if len(chunk) >= CHUNK:
                yield from self._resolve_chunk(chunk)
                chunk = []
        if chunk:
            yield from self._resolve_chunk(chunk)

    def resolve_one(self, post: Mapping[str, Any]) -> Resolution:
        return next(iter(self._resolve_chunk([post])))

    def _resolve_chunk(self, chunk: list[Mapping[str, Any]]) -> list[Resolution]:
        """Two passes: links, cache and one search per post; then, within what the chunk leaves of the
        search budget (posts so far x MAX_SEARCHES_PER_POST), a second search for the posts still open."""
        links: list[list[str]] = []
        for post in chunk:
            urls = post.get("urls") if isinstance(post, Mapping) else None
            text = post.get("text") if isinstance(post, Mapping) else None
            links.append(extract_track_ids(text if isinstance(text, str) else "",
                                           urls if isinstance(urls, list) else []))
        known = self._verify_links([i for ids in links for i in ids])
        results: list[Resolution | None] = []
        pending: list[tuple[int, _Open]] = []
        for index, (post, ids) in enumerate(zip(chunk, links, strict=True)):
            outcome = self._first_pass(post, ids, known)
            if isinstance(outcome, _Open):
                pending.append((index, outcome))
                results.append(None)
            else:
                results.append(outcome)
        # Fallback searches for the open posts, in rounds (every open post gets its second search before any
        # gets a third), within what the run leaves of its budget: links and cache hits cost no search, so
        # their share pays for the posts that need more.
        allowance = self.max_searches_per_post * (self.posts + len(chunk))
        # A post whose empty answer came from a likely typo the run's answers can mend goes first: its next
        # search finds the song about three times as often as another post's (measured on the studied sets).
        pending.sort(key=lambda item: not self._mendable(item[1]))
        for round_no in range(MAX_FALLBACKS):
            for index, job in pending:
                if results[index] is not None:
                    continue
                if self.searches + 1 > allowance:
                    self.counts["fallback_skipped"] += 1
                    continue
                results[index] = self._fallback(job, last=round_no == MAX_FALLBACKS - 1)
        for index, job in pending:
            if results[index] is None:
                results[index] = self._conclude(job, None)
        out = []
        for result in results:
            assert result is not None
            out.append(self._finish(result))
        return out

    def _finish(self, result: Resolution) -> Resolution:
        self.posts += 1
        self.counts[result.method] += 1
        return result

    def _verify_links(self, ids: list[str]) -> dict[str, dict[str, Any] | None]:
        if not ids:
            return {}
        try:
            return self.spotify.tracks(ids)
        except BudgetExhausted:
            self.counts["budget_exhausted"] += 1
        except ApiError as exc:
            self.counts["errors"] += 1
            log.warning("link verification failed: %s", exc)
        return {}

    def _first_pass(self, post: Mapping[str, Any], ids: list[str],
                    known: dict[str, dict[str, Any] | None]) -> Resolution | _Open:
        post_id = str(post.get("id", "")) if isinstance(post, Mapping) else ""
        for track_id in ids:
            track = known.get(track_id)
            if track:
                return _resolution(post_id, track, 1.0, "link")
        text = post.get("text") if isinstance(post, Mapping) else None
        if not isinstance(text, str):
            return Resolution.none(post_id)
        cleaned = clean(text)
        cands = candidates(text)
        if not cands:
            return Resolution.none(post_id)
        album_post = bool(ALBUM_RE.search(text))
        key = query_key(cleaned) + ("|album" if album_post else "")
        cached = self._cache_get(key)
        if cached is not None:
            if cached.track_id:
                return Resolution(post_id, cached.track_id, cached.title, list(cached.artists), cached.confidence,
                                  "cache")
            return Resolution.none(post_id)
        title_only = next((c for c in cands if c.rule == "title"), None)
        pairs = [c for c in cands if c.rule != "title"]
        weak_only = all(c.rule not in STRONG_RULES for c in cands)
        # A dash's title too when it is written as one ("The Zombies - Time of the Season"), not a sentence
        # ("Song Exploder — the episode on a famous synth riff").
        delimited_title = next((c.title for c in pairs[:1] if c.rule in ("by", "quote", "fields")
                                or (c.rule == "dash" and _title_cased(c.title))), "")
        if ((weak_only and not self._worth_searching(cleaned, named=any(c.rule == "weak" for c in cands)))
                or not looks_like_music(cleaned, structured=True, title=delimited_title)):
            # The words say TV, games, sports, audiobooks, spam (or, without an artist/title structure, a
            # sentence or a list): no request at all.
            self._cache_put(key, Cached(None, None, [], 0.0))
            return Resolution.none(post_id)
        job = _Open(post_id, key, cleaned, pairs, album_post=album_post)
        if pairs and not album_post and (seen := self._seen_match(pairs, cleaned, sure=True)) is not None:
            self.counts["seen_hits"] += 1
            return self._conclude(job, seen, method="cache")  # a song the run's answers already hold
        first_words = (pairs[0].trimmed_query or pairs[0].query) if pairs \
            else _sentence_subject(title_words(core(cands[0].title)))
        job.first_query = self._without_typos(first_words)
        try:
            job.first = self._run_search(job.first_query)
        except (ApiError, BudgetExhausted) as exc:
            return self._failed(post_id, exc)
        match = self._best(pairs, job.first, cleaned) if pairs else None
        if match is None and title_only is not None:
            match = title_only_match(title_only, job.first, cleaned, self.threshold)
        if match is None and not pairs:
            match = contained_match(job.first, cleaned)
        if match is None and not job.first and pairs and not album_post:
            # Empty (a typo, chatter): the song may be among the tracks earlier answers held.
            match = self._seen_match(pairs, cleaned, sure=False)
            self.counts["seen_hits"] += match is not None
        job.strong = any(c.rule in STRONG_RULES for c in pairs)
        # A weaker reading ("Artist's Title ...") gets one more search only when its answer was empty and
        # the words after a chatter word can go ("Linkin Park's In the End still hits different").
        trimmable = not job.first and bool(_trimmed(pairs, _words(job.first_query)))
        if match is not None or album_post or not (job.strong or trimmable) or not looks_like_music(cleaned):
            return self._conclude(job, match)  # settled, or not worth a second search (TV, podcast, album...)
        if self._lacks_the_version(pairs, job.first, cleaned):
            return self._conclude(job, None)
        job.seen_before = len(self.seen.ids)
        return job

    def _mendable(self, job: _Open) -> bool:
        """The first answer was empty and every unknown word of its query is one letter from a known one."""
        return not job.first and bool(self.vocabulary.mend(job.first_query))

    def _fallback(self, job: _Open, *, last: bool) -> Resolution | None:
        """The next field-filtered search of the post's plan: a Resolution when it settles the post,
        None when the post stays open for another round."""
        if job.plan is None:
            job.plan = (fallback_plan(job.cands, job.first, job.first_query, self.vocabulary,
                                      page=self.spotify.search_limit) if job.strong
                        else _trimmed(job.cands, _words(job.first_query)))
        if not job.plan:
            return self._conclude(job, None)
        if job.cands and not job.album_post and len(self.seen.ids) > job.seen_before:
            # Another post's fallback ("artist:Tarkan") may have brought this one's song: no search then.
            job.seen_before = len(self.seen.ids)
            if (seen := self._seen_match(job.cands, job.cleaned, sure=False)) is not None:
                self.counts["seen_hits"] += 1
                return self._conclude(job, seen, method="cache")
        try:
            results = self._run_search(job.plan.pop(0))
            match = self._best(job.cands, results, job.cleaned)
        except (ApiError, BudgetExhausted) as exc:
            return self._failed(job.post_id, exc)
        if match is not None or last or not job.plan or self._saw_whole_artist(job.cands[0], results):
            return self._conclude(job, match)
        return None

    def _lacks_the_version(self, pairs: list[Candidate], results: list[dict[str, Any]], cleaned: str) -> bool:
        """The post names a version ("Water (Acoustic)") and a whole answer (less than a page: every track
        holding the words) has the song but not that version: the catalog lacks it, and other searches
        would be spent for nothing."""
        if not results or len(results) >= self.spotify.search_limit:
            return False
        plain = [replace(c, versions=()) for c in pairs if c.versions and set(c.versions) != {"remaster"}]
        return any(score_track(c, t, cleaned) >= self.threshold for c in plain for t in results)

    def _saw_whole_artist(self, cand: Candidate, results: list[dict[str, Any]]) -> bool:
        """The answer holds every track of the post's artist (fewer than a page, the artist among them), and
        none is the song: the song is not in the catalog, so another search would be spent for nothing."""
        if not cand.artists or not results or len(results) >= self.spotify.search_limit:
            return False
        wanted = normalize(cand.artists[0])
        return any(name_similarity(wanted, normalize(a)) >= 0.95 for t in results for a in track_artists(t))

    def _seen_match(self, pairs: list[Candidate], cleaned: str, *, sure: bool) -> Match | None:
        """The best match among the tracks the run has seen, when it is one a search could not better: a
        plain recording (or the version the post asks for), and, to skip the search, a near-certain one."""
        tracks = self.seen.lookup(pairs)
        match = self._best(pairs, tracks, cleaned) if tracks else None
        if match is None or (sure and match.score < SURE):
            return None
        asked = any(c.versions for c in pairs)
        if not asked and version_penalty(Candidate(title=""), str(match.track.get("name") or "")) > 0.01:
            return None  # only a live or remixed take was seen: the search may find the original
        name = str(match.track.get("name") or "")
        if sure and any("remaster" in c.versions for c in pairs) and "remaster" not in fold(name):
            return None  # "the remastered Dreams": the plain take was seen, the search may find the remaster
        named = [normalize(a) for c in pairs for a in c.artists]
        artists = track_artists(match.track)
        credited = [normalize(a) for a in artists]
        if any(max((name_similarity(n, c) for n in named), default=0.0) < ARTIST_MIN for c in credited):
            return None  # "Walk This Way" by Run-DMC and Aerosmith, for a post naming Aerosmith alone
        reading = max(pairs, key=lambda c: score_track(c, match.track, cleaned))  # the one that explains it
        named_suffix = set(normalize(reading.title.partition(" - ")[2]).split()) - _PLAIN_SUFFIX_WORDS
        if sure and named_suffix and not named_suffix <= set(normalize(name).split()):
            return None  # "I Feel Love - 12\" Version": the version named may be one the run has not seen
        if not all(_credits(n, artists, name) for n in reading.artists):
            # "Rema & Selena Gomez - Calm Down", "bad guy - Billie Eilish & Justin Bieber": the recording with
            # every artist named, which a search may find.
            return None
        return match

    def _conclude(self, job: _Open, match: Match | None, method: str = "search") -> Resolution:
        if match is not None and job.album_post and names_its_album(match.track):
            match = None  # "Thriller (the whole album)": the album, not its title track
        if match is None:
            self._cache_put(job.key, Cached(None, None, [], 0.0))
            return Resolution.none(job.post_id)
        result = _resolution(job.post_id, match.track, max(0.0, min(1.0, match.score)), method)
        self._cache_put(job.key, Cached(result.track_id, result.title, result.artists, result.confidence))
        return result

    def _failed(self, post_id: str, exc: Exception) -> Resolution:
        # Not cached: a failure is not an answer.
        if isinstance(exc, BudgetExhausted):
            self.counts["budget_exhausted"] += 1
        else:
            self.counts["errors"] += 1
            log.warning("search failed for post %s: %s", post_id, exc)
        return Resolution.none(post_id)

    # --- search plan ------------------------------------------------------------------------------

    def _run_search(self, q: str) -> list[dict[str, Any]]:
        self.searches += 1
        results = self.spotify.search_tracks(q)
        for track in results:
            names = [str(track.get("name") or "")]
            names += track_artists(track)
            self.vocabulary.add_text(" ".join(names))
            self.seen.add(track)
        return results

    def _without_typos(self, q: str) -> str:
        """`q` without the words that look misspelt ("Tracy Chapmen Fast Car" -> "Tracy Fast Car"): an engine
        that wants every word finds nothing for a typo, and the other words still find the song (scoring
        still sees the whole post). Never below two words, never a word an earlier answer held, nor one with
        an apostrophe or a digit ("D'Agostino" is no typo of "Agostino")."""
        words = q.split()
        kept = [w for w in words
                if not (w.isalpha() and (n := normalize(w)) not in self.vocabulary and spelling.looks_misspelt(n))]
        return " ".join(kept) if len(kept) >= 2 and len(kept) < len(words) else q

    @staticmethod
    def _worth_searching(cleaned: str, *, named: bool = False) -> bool:
        """`named`: a "Title de Artist" reading, where commas and "!" belong to names ("Yeah! de Usher, Lil
        Jon"); otherwise "!" is spam's mark ("Win tickets now!"), unless the post is a short shout ("ARTIST!!!
        TITLE!!!"), and commas make a list."""
        words = normalize(cleaned).split()
        if not (1 <= len(words) <= 16 and looks_like_music(cleaned)):
            return False
        return named or (("!" not in cleaned or len(words) <= 6) and strip_brackets(cleaned).count(",") <= 1)

    def _best(self, cands: list[Candidate], results: list[dict[str, Any]], text: str) -> Match | None:
        matches: list[Match] = []
        for rank, track in enumerate(results):
            # The reading that explains this track best; the reading's prior only breaks near-ties.
            scored = [(s, s + 0.02 * cand.prior) for cand in cands if (s := score_track(cand, track, text)) > 0]
            if not scored:
                continue
            raw, ranked = max(scored, key=lambda p: p[1])
            if raw >= self.threshold:
                matches.append(Match(track, ranked, rank))
        if not matches:
            return contained_match(results, text) or self._other_script_match(cands, results, text)
        return choose(matches)

    def _other_script_match(self, cands: list[Candidate], results: list[dict[str, Any]], text: str) -> Match | None:
        """"아이유 - 좋은 날", "邓丽君《月亮代表我的心》": an artist and a title written in a script none of the
        answers' artist names are in: the name cannot be compared, so the title decides as in a title-only
        post (exactly one performer of it among the answers; two = ambiguous: none). A title in Latin letters
        beside such a name ("עומר אדם - Tel Aviv") is too common to decide alone."""
        credited = [a for t in results for a in track_artists(t)]
        if not credited or not all(in_latin_script(name) for name in credited if name):
            return None
        for cand in cands:
            if cand.artists and not in_latin_script(cand.artists[0]) and unread_letters(cand.title):
                alone = Candidate(title=cand.title, rule="title", versions=cand.versions)
                if (match := title_only_match(alone, results, text, self.threshold)) is not None:
                    return match
        return None

    # --- cache ------------------------------------------------------------------------------------

    def _cache_get(self, key: str) -> Cached | None:
        value = self.memory.get(key)
        if value is None and self.cache is not None:
            try:
                value = self.cache.get(key)
            except Exception as exc:  # a cache outage must not stop resolution
                log.warning("resolution cache read failed: %s", exc)
                value = None
            if value is not None:
                self.memory.put(key, value)
        self.counts["cache_hits" if value is not None else "cache_misses"] += 1
        return value

    def _cache_put(self, key: str, value: Cached) -> None:
        self.memory.put(key, value)
        if self.cache is not None:
            try:
                self.cache.put(key, value)
            except Exception as exc:
                log.warning("resolution cache write failed: %s", exc)


def _latin_parts_in(name: str, credited: list[str]) -> bool:
    """A name written partly in another script: its Latin parts (three letters or more each, two at least)
    appear in that order in a credited name, spaces aside."""
    parts = [p for p in re.findall(r"[a-z0-9]+", fold(name)) if len(p) >= 3]
    if len(parts) < 2:
        return False
    for full in (c.replace(" ", "") for c in credited):
        at = 0
        for part in parts:
            at = full.find(part, at)
            if at < 0:
                break
            at += len(part)
        # The parts in order, and most of the name: "The 猫 Band" is not The Dave Matthews Band.
        if at >= 0 and sum(map(len, parts)) * 2 >= len(full):
            return True
    return False


def _resolution(post_id: str, track: dict[str, Any], confidence: float, method: str) -> Resolution:
    artists = [a for a in track_artists(track) if a]
    return Resolution(post_id, str(track["id"]), str(track.get("name") or ""), artists, round(confidence, 3), method)


@contextmanager
def open_resolver(settings: Settings, *, session: Any = None, budget: RequestBudget | None = None
                  ) -> Iterator[Resolver]:
    """A resolver built from settings alone (Spark partitions call this); session=None -> memory cache.
    `budget` lets several clients of one run share SPOTIFY_MAX_REQUESTS_PER_RUN."""
    cache: ResolutionCache | None = None
    if session is not None:
        from nowplaying.store.resolution_cache import CassandraResolutionCache

        cache = CassandraResolutionCache(session)
    client = SpotifyClient(settings, budget=budget)
    try:
        yield Resolver(client, cache)
    finally:
        client.close()
