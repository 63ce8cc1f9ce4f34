"""Post text -> Spotify track links and ranked (artist, title) candidates. Pure functions, no I/O.

Everything here takes untrusted text of any shape (any unicode, any length) and never raises.
The pipeline: `extract_track_ids` (links first) -> `clean` (drop hashtags that are noise, mentions,
links, emoji, station prefixes, trailing chatter; keep hashtags that carry the song) -> `candidates`
(split on separators, both orders when the order is unknown, artist lists, version suffixes; in a
sentence, the clause next to the separator and the capitalised runs around " by ": "my dad put on Is This
Love by Bob Marley in the car" -> Bob Marley, Is This Love). `normalize` is the one normal form used for
matching (Cyrillic and Greek in Latin letters); `query_key` the cache key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from nowplaying.aliases import canonical_artist, canonical_titles
from nowplaying.artists import leading_artist, respelled
from nowplaying.members import bands_of
from nowplaying.scripts import to_latin

# --- links ----------------------------------------------------------------------------------------

_TRACK_LINK_RE = re.compile(
    r"(?:https?://)?(?:open|play)\.spotify\.com/(?:intl-[a-z]{2}(?:-[a-z]{2})?/)?(?:embed/)?track/([0-9A-Za-z]{22})"
    r"|spotify:track:([0-9A-Za-z]{22})",
    re.IGNORECASE,
)


def extract_track_ids(text: str | None, urls: Iterable[object] | None = ()) -> list[str]:
    """Spotify track ids from open.spotify.com links (with /intl-xx/, /embed/, query strings) and
    spotify:track: URIs, in the urls list first, then the text; unique, in order."""
    found: list[str] = []
    sources = [u for u in (urls or ()) if isinstance(u, str)] + [text if isinstance(text, str) else ""]
    for source in sources:
        for match in _TRACK_LINK_RE.finditer(source):
            track_id = match.group(1) or match.group(2)
            if track_id not in found:
                found.append(track_id)
    return found


# --- normal form ----------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form (keeps non-Latin scripts as they are)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    # Recompose what is left, so Hangul syllables stay syllables.
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()


_DOLLAR_S_RE = re.compile(r"(?<=[^\W\d_])\$|\$(?=[^\W\d_])")


def normalize(text: str) -> str:
    """Matching form: folded, transliterated to Latin letters, '&' -> 'and', apostrophes dropped,
    punctuation -> spaces, one space."""
    # Other scripts first: folding would drop the marks Devanagari spells with (virama, nukta).
    s = fold(to_latin(text.casefold())).replace("&", " and ").replace("+", " and ").replace("'", "")
    if "$" in s:
        s = _DOLLAR_S_RE.sub("s", s)  # "Ke$ha", "A$AP Rocky", "Ty Dolla $ign": the letter it stands for
    s = re.sub(r"[^\w]+", " ", s, flags=re.UNICODE).replace("_", " ")
    return " ".join(s.split())


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def unread_letters(text: str) -> bool:
    """Letters of a script other than Latin ("真夜中のドア〜stay with me" has some)."""
    return any(ch.isalpha() and not _latin(ch) for ch in text)


def in_latin_script(text: str) -> bool:
    """Whether most of `text`'s letters are Latin ones (accented or not): tells "Amr Diab" from "عمرو دياب"."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if _latin(c))
    return bool(letters) and latin * 2 > len(letters)


# --- noise ----------------------------------------------------------------------------------------

NOISE_TAGS = {
    "nowplaying", "np", "nowlistening", "listening", "nowspinning", "nowplayingradio", "currentlyplaying",
    "music", "musica", "musique", "musik", "song", "songs", "songoftheday", "sotd", "spotify", "applemusic",
    "youtube", "youtubemusic", "deezer", "soundcloud", "tidal", "radio", "onair", "live", "hits", "playlist",
    "nowwatching", "jazz", "rock", "pop", "hiphop", "rap", "rnb", "edm", "country", "classical", "metal",
    "indie", "electronic", "dance", "house", "techno", "reggae", "kpop", "jpop", "anime", "latin", "soul",
    "blues", "funk", "punk", "oldies", "throwback", "tbt", "80s", "90s", "70s", "60s", "00s", "newmusic",
    "vibes", "mood", "love", "goodmusic", "musiclover", "dj", "fm", "webradio", "internetradio", "streaming",
    "lastfm", "scrobble", "np_", "nowplay", "escuchando", "ecoute", "followme", "follow", "retweet", "rt",
}

# Words that say a post is about something other than a song (games, sports, podcasts, reading, spam), with
# or without an artist/title structure.
NOT_MUSIC = {
    "episode", "episodes", "season", "podcast", "podcasts", "audiobook", "chapter", "reading", "gaming",
    "playstation", "ps4", "ps5", "xbox", "nintendo", "steam", "fifa", "fortnite", "minecraft", "football", "soccer",
    "basketball", "nba", "nfl", "giveaway", "subscribe", "promo", "discount", "twitch", "watching", "binging",
    "bingeing", "multiplayer", "hörbuch", "hörspiel", "audiolibro", "staffel", "folge", "temporada", "episodio",
    "rewatch", "rewatching", "serie", "série", "cinemas", "programme", "followers", "follower", "tickets", "ranked",
    "commute", "matinale",
}
# Films and shows: songs are posted with them ("Creep (the Social Network trailer one)"), so they only stop
# posts without an artist/title structure.
SCREEN_WORDS = {"netflix", "hulu", "hbo", "disney", "series", "tv", "television", "movie", "film", "cinema", "imax",
                "biopic", "trailer", "documentary", "premiere", "screening", "starring", "actor", "actress", "oscar",
                "oscars", "película", "pelicula", "filme", "sitcom", "sequel"}
# A post with no artist/title structure that names these is about a record or a list, not one song.
RECORD_WORDS = {"playlist", "playlists", "album", "albums", "álbum", "edition"}

# Platforms and stations that follow " on " / " via " / " @ " as chatter.
PLATFORMS = (r"(?:spotify|youtube(?: music)?|apple music|itunes|deezer|soundcloud|tidal|amazon music|pandora|"
             r"last\.?fm|the radio|radio|air|repeat|loop|vinyl|cassette|cd)")

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.(?:com|net|org|fm|co|ly|me|be|io)/\S*", re.IGNORECASE)
_URI_RE = re.compile(r"spotify:[a-z]+:[0-9A-Za-z]+", re.IGNORECASE)
_MENTION_RE = re.compile(r"(?<![\w@])@[\w.]+(?:@[\w.-]+)?", re.UNICODE)
# "#nu-metal", "#k-pop": the platforms link only "#nu", but the writer meant one tag.
_HASHTAG_RE = re.compile(r"(?<![\w#])#(\w+(?:-\w+)*)", re.UNICODE)
_PAREN_NOISE_RE = re.compile(
    r"[\(\[\{][^\)\]\}]*\b(?:official|video|audio|lyrics?|lyric video|visuali[sz]er|hd|hq|4k|mv|m/v|full album|"
    r"out now|new(?=\s*(?:single|song|music|release|track|video|[\)\]\}!]))|free download|clip officiel)\b"
    r"[^\)\]\}]*[\)\]\}]",
    re.IGNORECASE)
_PREFIX_RE = re.compile(
    r"^\s*(?:(?:i'?m |i am |we'?re )?(?:now |currently |just )?(?:playing|listening(?: to)?|spinning|hearing|"
    r"streaming|on air|np|now|escuchando|estoy escuchando|est[aá]s escuchando|ouvindo|tocando agora|j'?[ée]coute|"
    r"en ce moment|"
    r"ich h[öo]re(?: gerade)?|h[öo]r dir|[ée]coute(?=\s)|escucha(?=\s)|"
    r"l[äa]uft (?:bei mir|gerade)|(?:gerade|jetzt) l[äa]uft|şu an|dengerin|dengarin|"
    r"(?:tô|to|t[ôo] aqui) (?:ouvindo|escutando)|(?:sto )?ascoltando|in ascolto|luisteren naar|"
    r"nu speelt|suonando|sonando|suena|est[aá] sonando|joue|spielt|いま聴いてる|今聴いてる|聴いてる|再生中|"
    r"listen to|can'?t stop (?:listening to|playing)|obsessed with|en [ée]coute|只今放送中|ただいま放送中|放送中|"
    r"no (?:puedo|paro de) (?:dejar de )?escuchar|não (?:consigo )?paro de ouvir|não consigo parar de ouvir|"
    r"(?:vibing|jamming(?: out)?|dancing|crying|singing along|rocking out|working out|chilling) to|blasting|"
    r"(?:driving|walking|running|cycling|commuting|cooking|cleaning|studying)(?: home| to work)? (?:with|to)|"
    r"been (?:playing|blasting|listening to|spinning)|teraz gra|słucham|nu spelas|lyssnar på|"
    r"(?:сейчас )?играет|(?:сейчас )?в эфире|слушаю|слухаю|зараз грає|正在听|正在播放|(?:şu an )?çalıyor|dinliyorum|"
    r"지금 듣는 (?:곡|중)|अभी सुन (?:रहा|रही) (?:हूँ|हूं)|(?:ora )?in onda|ahora (?:suena|escuchando)|"
    r"on repeat(?: all day)?|turn it up|"
    # "Song of the day:" in the languages posts use it in.
    r"(?:my |today'?s )?(?:song|track|tune) of the day|ohrwurm(?: des tages)?|lied des tages|"
    r"canci[óo]n del d[ií]a|chanson du jour|m[úu]sica do dia|can[çc][ãa]o do dia|canzone del giorno|"
    r"今日の一曲|今日の曲|오늘의 (?:노래|곡)|песня дня|g[üu]n[üu]n şarkısı|lied van de dag|piosenka dnia|dagens l[åa]t|"
    r"أستمع الآن إلى|أستمع إلى|أستمع الآن|أسمع الآن|"
    # More languages' "listening to" / "now playing": pt, es, cs, hu, fi, no, da, nl, id, tl, vi, th, el, ro,
    # ca, he, zh, ja, ko.
    r"(?:escutando|estou (?:ouvindo|escutando)|(?:estoy )?oyendo|poslouch[aá]m|pr[aá]v[eě] hraje|hallgatom|"
    r"most sz[oó]l|kuuntelen|h[øo]rer p[åa]|lytter til|(?:sedang|lagi) (?:mendengarkan|dengerin|dengarin|dengar)|"
    r"nakikinig(?: (?:ng|sa))?|đang nghe|ακούω|ascult|escoltant)(?!\w)|กำลังฟัง|מאזין ל|מקשיב ל|在听|现在播放|"
    r"今流れてる|今(?=\s)|듣는 중|요즘)"
    r"(?:\s+(?:ahora|agora|maintenant|jetzt|gerade|ora|now|right now|en este momento|no ar))?"
    r"\s*(?:on [^:]{1,40})?\s*[:\-–—>|]*\s*)+",
    re.IGNORECASE)
# "Station - live:", "Nu op Station:" (not across a segment or clause mark: "T – A ♫ Listen live: <link>").
_STATION_COLON_RE = re.compile(r"^(?:(?:on|op|auf|sur|en) [^:¶|]{1,40}|[«\"“][^»\"”:]{1,40}[»\"”](?=:.*\s[-–—]\s)|"
                               r"[^:¶|]{0,60}\b(?:fm|radio|am|on air|now|"
                               r"playing|np|station|live|stream|listening|nu|läuft|играет|çalıyor)\b[^:¶|]{0,40}):\s*(?=.*\w)",
                               re.IGNORECASE)
_TRAILING_CHATTER_RE = re.compile(
    rf"\s+(?:on|via|@|at|from|in)\s+(?:my\s+)?{PLATFORMS}\b(?!\s*:).*$"
    # Share texts in other languages ("Hör dir X von Y auf Deezer an", "Écoute X de Y sur Deezer").
    r"|\s+(?:auf|sur|en|su|no|na|op|på)\s+(?:spotify|youtube(?: music)?|apple music|deezer|soundcloud|tidal|"
    r"amazon music)\b(?!\s*:).*$"
    rf"|\s+(?:on|via)\s+[\w .'-]{{0,30}}\b(?:fm|radio)\b.*$",
    re.IGNORECASE)
# Trailing chatter phrases, per language, after a separator or a sentence end ("Artist - Title – Ohrwurm des
# Tages", "Title. what a tune"): they are never part of a title, so they go before parsing.
CHATTER_PHRASES = (
    r"(?:song|track|tune|earworm|jam|banger|pick)s? of the (?:day|week|month|moment|night)",
    r"(?:ohrwurm|lied|song|track) (?:des tages|der woche|des monats)",
    r"(?:canci[oó]n|tema|tem[oó]n) del (?:d[ií]a|momento)", r"(?:chanson|morceau|titre|son) du (?:jour|moment)",
    r"(?:canzone|brano|pezzo) del (?:giorno|momento)", r"(?:m[uú]sica|can[cç][aã]o) do dia",
    r"(?:what|such) an? (?:tune|song|track|banger|jam|classic|vibe|bop|anthem)",
    r"(?:was f[üu]r ein|so ein) (?:song|lied|ohrwurm|hit|klassiker)", r"qu[eé] (?:temazo|canci[oó]n|tema)",
    r"quelle chanson", r"che (?:canzone|pezzo)", r"still crying", r"(?:on|no|em) repeat",
    r"goes (?:so |really |extra )?hard", r"(?:still )?hits (?:so )?different",
    r"(?:on|at) full (?:blast|volume)", r"best (?:\w+ )?version ever",
    r"en boucle", r"en bucle", r"em loop", r"in loop", r"in dauerschleife", r"a ripetizione", r"just nu",
    r"all time fav(?:ou?rite)?", r"never gets old", r"listen (?:live|now|here|again)", r"rip",
    r"(?:listen|(?:live )?stream|tune in)(?: live| now| here| again)?\s*:", r"streaming (?:live|now)",
    r"on an? (?:rainy|lazy|sunny|slow|quiet|cold|grey|gray) \w+(?: (?:morning|afternoon|evening|night))?",
    r"at \d{1,2}(?::\d\d)?\s?(?:am|pm)\b.*",
)
# A separator run is matched once, from its first character and without giving characters back: a post of
# 2,000 dashes must not cost a quadratic search.
_CHATTER_PHRASE_RE = re.compile(r"((?<![-–—~|,.;:!\s])\s*[-–—~|,.;:!]++\s*|(?<!\s)\s++)(?:" + "|".join(CHATTER_PHRASES)
                                + r")\W*$", re.IGNORECASE)
_PLAYED_BEFORE_RE = re.compile(r"^.*?\b(?:just played|last played|previously|earlier|before)\s*:.*?"
                               r"(?=\b(?:now playing|now on air|on air now|now|np)\s*:)", re.IGNORECASE)
_NEXT_UP_RE = re.compile(r"(?<=\S)[\s.,;|]+(?:up next|next up|coming up|next)\s*:.*$", re.IGNORECASE)
# "Dance The Night from the Barbie album", "... off their new EP": where the song is from, said after it.
_FROM_RECORD_RE = re.compile(r"\s+(?:from|off)\s+(?:(?:the|my|her|his|their|its)\s+)?(?:new\s+)?(?:[^|¶.!?]{1,50}?\s+)?"
                             r"(?:album|soundtrack|ost|ep|lp|record|musical|mixtape)\b[^|¶.!?\-–—]*?"
                             r"(?=\s+by\s|\s+[-–—]\s|\s*[|¶.!?]|\s*$)", re.IGNORECASE)


_AT_STATION_RE = re.compile(r"\s+@\s+[\w.&' -]{1,30}$")


def _drop_at_station(s: str) -> str:
    """"Laufey - From The Start @ SWR3": where it plays, after a whole "Artist - Title"."""
    m = _AT_STATION_RE.search(s)
    return s[:m.start()] if m and _DASH_RE.search(s[:m.start()]) else s


def _drop_record_source(s: str) -> str:
    """Drop a trailing "from the X album" when a song is left before it (two words, or an artist/title
    structure): a lone word before it ("Songs from the Big Chair album") is more likely the record's name."""
    m = _FROM_RECORD_RE.search(s)
    if m is None:
        return s
    rest = s[:m.start()]
    return rest + s[m.end():] if len(rest.split()) >= 2 or _STRUCTURE_RE.search(rest) else s


_STRUCTURE_RE = re.compile(r"\s[-–—~|/]\s|[–—|\"“”«»„]|\s(?:by|de|von|par|di|da|mit)\s|:\s", re.IGNORECASE)


def _drop_chatter_phrase(s: str) -> str:
    """Drop a trailing chatter phrase, unless it is the song: after a dash with nothing else to parse, it
    is the title ("LCD Soundsystem - On Repeat")."""
    m = _CHATTER_PHRASE_RE.search(s)
    if m is None:
        return s
    rest = s[:m.start()]
    if m.group(1).strip() and m.group(1).strip()[0] in "-–—~|" and not _STRUCTURE_RE.search(rest):
        return s
    return rest
# Only words that are never the end of a real title: the title check tolerates other trailing words.
CHATTER_WORDS = {
    "throwback", "tbt", "vibes", "banger", "bangers", "goosebumps", "fav", "fave", "lol", "lmao", "omg", "rn",
    "onrepeat", "repeat", "classic", "classics", "lmfao", "haha", "hahaha", "jaja", "jajaja",
}


_SYMBOL_CLASS = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u200D♪♫♩♬]"


@lru_cache(maxsize=8192)
def _is_symbol(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Cs", "Co", "Cn", "Me") or ch in "\u200d\ufe0f\u20e3♪♫♩♬"


# ASCII text (most posts) has two symbols, "^" and "`": one translate instead of a lookup per character.
_ASCII_SYMBOLS = {i: " " for i in range(128) if _is_symbol(chr(i))}


def strip_symbols(text: str) -> str:
    if text.isascii():
        return text.translate(_ASCII_SYMBOLS)
    return "".join(" " if _is_symbol(c) else c for c in text)


def split_camel(word: str) -> str:
    """EnterSandman -> Enter Sandman, ГруппаКрови -> Группа Крови, DJKhaled -> DJ Khaled; ACDC and 2Pac stay;
    under_scores become spaces."""
    word = word.replace("_", " ")
    out: list[str] = []
    for i, ch in enumerate(word):
        prev, nxt = word[i - 1] if i else "", word[i + 1:i + 2]
        # "DJKhaled" splits after "DJ"; a single capital starts the name ("CKay").
        if i and ch.isupper() and (prev.islower() or (prev.isupper() and nxt.islower() and i >= 2
                                                      and word[i - 2].isupper())):
            out.append(" ")
        out.append(ch)
    return "".join(out)


_GONE = "\u2063"  # invisible separator: marks where noise was removed (never kept in the output)


# Sung syllables and interjections ("ah ah ah", "na na na"): beside tags they say nothing of the post's shape.
_INTERJECTIONS_RE = re.compile(r"(?:(?:a+h+|o+h+|o+|na|la|da|yeah|yea|wo+w|wo+|ay+|eh|uh|hey|mm+|yay)\b\W*)+$",
                               re.IGNORECASE)


def _expand_hashtags(text: str) -> str:
    """Noise tags go; content tags (#Metallica - #EnterSandman, in-sentence tags) become words; a post made
    of content tags reads as "first - second ..." ("#NewJeans #HypeBoy": artist and title, in either order)."""
    matches = list(_HASHTAG_RE.finditer(text))
    if not matches:
        return text
    parts: list[str] = []
    pos = 0
    words = strip_symbols(_HASHTAG_RE.sub(" ", text)).strip(" .!,;:")
    only_tags = not words or _INTERJECTIONS_RE.fullmatch(words) is not None
    content = 0
    for match in matches:
        parts.append(text[pos:match.start()])
        pos = match.end()
        tag = match.group(1)
        if tag.casefold() in NOISE_TAGS or tag.isdigit():
            parts.append(_GONE)
            continue
        before = text[:match.start()]
        after = text[match.end():]
        # Only other hashtags / spaces / symbols after it: a trailing tag cluster.
        rest = _HASHTAG_RE.sub("", after)
        trailing = not strip_symbols(rest).strip(" .!,;")
        lead = not _HASHTAG_RE.sub("", strip_symbols(before)).strip(" .!,;:")
        prev_text = strip_symbols(before).rstrip()
        next_text = strip_symbols(after).lstrip()
        touches_separator = (prev_text.endswith(("-", "–", "—", "|", "/")) or re.search(r"\bby$", prev_text, re.I)
                             or next_text.startswith(("-", "–", "—", "|", "/")) or re.match(r"by\b", next_text, re.I)
                             or prev_text.endswith(('"', "“", "”")) or next_text.startswith(('"', "“", "”")))
        # Kept: tags next to a separator, inside the text, or every content tag of a post made of tags
        # ("#Adele #Hello"); dropped: the tag clusters before or after the words.
        if only_tags and not touches_separator:
            content += 1
            # A third tag on is a topic ("#YOASOBI #アイドル #推しの子": the anime), after a clause end.
            parts.append({1: "", 2: " - ", 3: " ¶ "}.get(content, "") + split_camel(tag))
        elif touches_separator or not (trailing or lead) or (lead and trailing):
            parts.append(split_camel(tag))
        else:
            parts.append(_GONE)
    parts.append(text[pos:])
    return "".join(parts)


_ALBUM_BRACKET_RE = re.compile(r"\s*[\(\[]\s*(?:album|from the album|lp|ep)\s*:\s*", re.IGNORECASE)


def _drop_album_bracket(s: str) -> str:
    """A scrobbler's "(album: Star Wars (Original Motion Picture Soundtrack))", brackets inside and all: the
    record, not the song."""
    m = _ALBUM_BRACKET_RE.search(s)
    if m is None:
        return s
    depth, i = 1, m.end()
    while i < len(s) and depth:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(s[i], 0)
        i += 1
    return f"{s[:m.start()]} {s[i:]}"


def clean(text: str | None) -> str:
    """The post's text with the noise removed; separators and quotes are kept for `candidates`."""
    if not isinstance(text, str):
        return ""
    s = unicodedata.normalize("NFKC", text[:2000])
    # Long runs of one space or symbol ("------", 500 spaces) say nothing more than three, and would cost the
    # regular expressions below a quadratic search.
    s = re.sub(r"([^\w\n])\1{3,}", r"\1\1\1", s)
    # Removed links, URIs, mentions and tags leave a marker, so a preposition left dangling before one
    # ("by Avicii on #Spotify") can go too, while "Dream On" keeps its "On".
    s = s.replace(_GONE, " ").replace("\\m/", " ")  # "\m/ NOW PLAYING \m/": metal horns
    s = _URL_RE.sub(_GONE, s)
    s = _URI_RE.sub(_GONE, s)
    s = _MENTION_RE.sub(_GONE, s)
    s = _expand_hashtags(s)
    s = re.sub(rf"(?:\s+(?:on|via|at|from|@|in|with|by|de|von|par|di))+\s*{_GONE}", _GONE, s, flags=re.IGNORECASE)
    # A station's frequency after its removed mention or link ("on @wazobiafm 95.1", "@kissfm 100.0 FM").
    s = re.sub(rf"{_GONE}\s*\d{{2,3}}[.,]\d\b(?:\s*fm\b)?", _GONE, s, flags=re.IGNORECASE)
    s = s.replace(_GONE, " ")
    # "Station ▶ Title — Artist", "Title - Artist ~ Station ~ listen live!": segments, like "|".
    s = re.sub(r"\s*[▶►➤→⇒]\s*|\s+~+\s+|\s+~|~\s+", " | ", s)
    s = re.sub(r"\s+[•·]\s+", " – ", s)  # "Artist • Title": a dash
    # An emoji between words ends a clause ("Artist - Title 😭 still crying"): mark it as a sentence end,
    # which `core` cuts at when it builds a query (scoring still sees every word).
    s = re.sub(r"(?<=[\w)\]!?.])(?:\s*" + _SYMBOL_CLASS + r")+(?=\s*\w)", " ¶ ", s)
    s = strip_symbols(s)
    s = _PAREN_NOISE_RE.sub(" ", s)
    # The same words outside brackets: "'Ditto' Official MV", "GANGNAM STYLE M/V".
    s = re.sub(r"\s+official\s+(?:music\s+)?(?:video|mv|m/v|audio|visuali[sz]er|lyric video)\b", " ", s, flags=re.I)
    s = re.sub(r"\s+(?:M/V|MV)(?=\s|$)", " ", s)
    s = re.sub(r"[\r\n\t]+", " | ", s)
    s = _drop_album_bracket(" ".join(s.split())).lstrip(" |")  # "▶ Now playing: ..." starts with a mark
    s = re.sub(r"\s*[\(\[]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?[\)\]]", " ", s, flags=re.I)
    # Radio-bot timestamps: "[22:15]", "22:15 -", "(10:02 PM)".
    s = re.sub(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?[\])]?\s*[-–—:|]?\s*", "", s, flags=re.I)
    s = re.sub(r"\s*(?:(?:지금\s*)?듣는\s*(?:중이에요|중)|(?:계속\s*)?듣는다|聴いてる|を聴いてる|再生中|"
               r"を聴きながら\S*)\s*$", "", s)
    s = s.replace("、", ", ").replace("。", ". ")  # Japanese commas and full stops, spaced as clause marks
    # Languages that put "I am listening" after the song: the rest is chatter ("Tarkan - Şımarık dinliyorum,
    # 1997 nostaljisi", "Raataan Lambiyan sun rahi hoon aur ...").
    s = re.sub(r"\s+(?:dinliyorum|sun\s+rah[ai]\s+h[uo]{1,2}n?)\b(?!\s*[:\-–—]).*$", "", s, flags=re.IGNORECASE)
    # "Just played: A – T. Now playing: B – U", "Now playing: A – T. Next: B – U": only the song on air.
    s = _PLAYED_BEFORE_RE.sub("", s)
    s = _NEXT_UP_RE.sub("", s)
    s = _drop_chatter_phrase(s)
    for _ in range(2):
        s = _PREFIX_RE.sub("", s)
        s = _STATION_COLON_RE.sub("", s)
    s = _TRAILING_CHATTER_RE.sub("", s)
    s = _drop_at_station(s)
    s = _drop_record_source(s)
    s = " ".join(s.split()).strip(" .,;:!?|/-–—~*>¶")
    s = _drop_chatter_phrase(s).replace(" ¶ ", ". ").replace("¶", ".")
    return " ".join(s.split()).strip(" ,;:|/-–—~*>")


# --- candidates -----------------------------------------------------------------------------------

# "(feat. X)", "[with X]" in brackets, or a bare "feat./ft./featuring X" at the end ("with" only in brackets:
# "I Wanna Dance with Somebody" is a title).
_FEAT_RE = re.compile(r"\s*(?:[\(\[]\s*(?:feat\.?|ft\.?|featuring|with|w/)\s+([^\)\]]+)[\)\]]"
                      r"|\b(?:feat\b\.?|ft\b\.?|featuring)\s+([^\(\)\[\]]+?))\s*$", re.IGNORECASE)
# " x " joins names ("Marshmello x Bastille"), not at a name's start or end ("X Ambassadors", "Lil Nas X"); a
# lower-case "with" too ("Frank Sinatra with Count Basie"), not a title's "With" ("I'll Fly With You").
_ARTIST_SPLIT_RE = re.compile(r"\s*(?:,|&|\band\b|(?-i:\bwith\b)|\bet\b|\bund\b|(?<=\S\s)[xX](?=\s+\w)|\+|\bvs\b\.?|"
                              r"\bfeaturing\b|\bfeat\b\.?|\bft\b\.?|/)\s*", re.IGNORECASE)
_VERSION_WORDS = ("remaster", "remastered", "live", "remix", "mix", "edit", "radio edit", "version", "acoustic",
                  "demo", "mono", "stereo", "instrumental", "extended", "unplugged", "deluxe", "bonus")
_VERSION_RE = re.compile(
    r"\s*(?:[\(\[][^\)\]]*\b(?:" + "|".join(_VERSION_WORDS) + r")\b[^\)\]]*[\)\]]"
    r"|\s-\s[^-]*\b(?:" + "|".join(_VERSION_WORDS) + r")\b.*$)",
    re.IGNORECASE)
_PARENS_RE = re.compile(r"\s*[\(\[\{][^\)\]\}]*[\)\]\}]")
_BRACKET_CONTENT_RE = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
DERIVATIVE_RE = re.compile(
    r"\b(?:karaoke|tribute|originally performed|in the style of|made famous|as made famous|cover(?:ed)? by|"
    r"covers?|instrumental version|backing track|lullaby|8[- ]bit|music box|piano version|string quartet|"
    r"sing along|re-?recorded|soundalike|performed by|vs\. the|workout|remake)\b",
    re.IGNORECASE)
# "<artist>'s cover of <title>", "<artist> covering <title> (by <original artist>)".
_COVER_RE = re.compile(r"(?P<artist>\S.{0,60}?)(?:['’]s?\s+(?:cover|version|take)\s+of|\s+covering)\s+"
                       r"(?P<title>\S.*?)(?:\s+by\s+.+)?$", re.IGNORECASE)
# "Title (In the Style of Artist)", "Title (Originally Performed by Artist)": how karaoke and soundalike
# tracks are named.
STYLE_OF_RE = re.compile(r"^(?P<title>[^\(\[]{1,100}?)\s*[\(\[]\s*(?:in the style of|originally performed by|"
                         r"(?:as )?made (?:famous|popular) by)\s+(?P<artist>[^\)\]]{1,60}?)\s*[\)\]]", re.IGNORECASE)
# Words that, in a bracket or dash suffix, name a version: that recording or none (not remasters or edits,
# which the plain title also accepts).
VERSION_NAME_RE = re.compile(r"\b(?:live|remix|mix|acoustic|unplugged|instrumental|demo|sped up|slowed|reverb|"
                             r"nightcore|lo-?fi|flip|karaoke|cover|a ?cappella|acapella|extended|"
                             r"(?:ao|en|dal) vivo|en directo)\b", re.IGNORECASE)
# A dash side that only names a version, as scrobblers print it ("Remastered 2009", "Live at Wembley", "Radio Edit").
VERSION_LABEL_RE = re.compile(r"^(?:(?:19|20)\d\d\s+)?(?:re-?master(?:ed)?(?:\s+(?:19|20)\d\d)?(?:\s+version)?$|"
                              r"radio edit$|single (?:version|edit)$|album version$|mono$|stereo$|live (?:at|from)\b|"
                              r"acoustic(?: version)?$|(?:original|extended|club) mix$|instrumental$|demo$|"
                              r"\w+['’]s version$)", re.IGNORECASE)
_LEADING_THE_RE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)
_LEADING_ARTICLE_RE = re.compile(r"^(?:the|a|an|o|el|la|le|il|der|die|das)\s+(?=\S+\s+\S)", re.IGNORECASE)
# 'Title' around whole words: not an elision opening it ('cause, 'til) nor one inside it ("Sweet Child O' Mine":
# a closing quote followed by one word and another closing quote is an apostrophe).
_SINGLE_QUOTE_RE = re.compile(r"(?<!\S)['‘](?!(?:cause|cos|til|em|bout|round|n)\b)([^'‘’\s](?:[^'‘’\n]|['’]){0,80}?)"
                              r"['’](?=[\s.,!?:;)]|$)(?!\s+\w+['’](?:[\s.,!?:;)]|$))", re.IGNORECASE)
_QUOTE_RE = re.compile(r"[\"“”«»„「『《]\s*([^\"“”«»„」』《》]{1,150}?)\s*[\"“”«»」』》]")


_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # kana and Han


@dataclass(frozen=True)
class Candidate:
    """One reading of the post: title, the artists named (empty when the post names none), a prior."""

    title: str
    artists: tuple[str, ...] = ()
    artist_text: str = ""  # the artist part as written, for names like "Simon & Garfunkel"
    prior: float = 1.0
    rule: str = "title"
    versions: tuple[str, ...] = field(default=())  # version words the post asks for (live, remix...)

    @property
    def search_title(self) -> str:
        """The title as a search engine should see it: no brackets, no clause after it."""
        return title_words(core(strip_brackets(self.title)))

    @property
    def search_artist(self) -> str:
        """The first artist's words, without a leading "The": posts write "the eagles" for Eagles and
        "killers" for The Killers, and an engine that wants every word would miss on that one word."""
        if not self.artists:
            return ""
        words = search_words(core(self.artists[0]))
        return _LEADING_THE_RE.sub("", words) or words

    @property
    def _query_title(self) -> str:
        """The title's words for a free-text search: its first comma part, core, no brackets, no leading
        article ("O Leãozinho" for Leãozinho: an engine that wants every word misses on that one)."""
        words = title_words(core(strip_brackets(self.title).split(", ")[0]))
        return _LEADING_ARTICLE_RE.sub("", words) or words

    @property
    def query(self) -> str:
        """Free-text search words: the first artist then the title's core, without brackets, quotes or
        operators. Fewer words, fewer ways to miss: an engine that wants every word (as Spotify nearly
        does) finds nothing for "Adele Someone Like You still crying"."""
        title = self._query_title
        return f"{self.search_artist} {title}".strip() if self.artists and not self._title_alone else title

    @property
    def _title_alone(self) -> bool:
        """A Chinese or Japanese title from the alias table, for a name the post writes in Latin letters
        ("Jay Chou" -> 晴天): a catalog that lists the title so may credit 周杰倫, and the title is
        telling enough alone (scoring still wants the artist, by the alias table)."""
        return (self.rule == "title-alias" and bool(self.artists) and in_latin_script(self.artists[0])
                and len(_CJK_RE.findall(self.title)) >= 2)

    @property
    def trimmed_query(self) -> str:
        """`query` with each side cut before its first word that starts chatter ("Stronger on NRJ", "Faded
        2000 throwback", "coldplay is so underrated"), or "" when nothing is cut. An engine that wants every
        word still finds the song from fewer of its words; scoring still sees the whole reading."""
        if not self.artists or self._title_alone:
            return ""
        trimmed = f"{leading_words(self.search_artist)} {leading_words(self._query_title)}".strip()
        return trimmed if trimmed.split() != self.query.split() else ""

    @property
    def filtered_query(self) -> str:
        """Field-filtered search for this reading; the values are `search_words`, so no quote or field
        prefix from the post can reach the query syntax."""
        title, artist = self.search_title, self.search_artist
        if title and artist and not self._title_alone:
            return f'track:"{title}" artist:"{artist}"'
        return f'track:"{title}"' if title else ""


# A sentence end inside a title or artist part: what follows is chatter ("Hurt. what a tune"), unless the
# word before is an abbreviation or an initial ("Mr. Brightside", "Ben E. King").
_CLAUSE_END_RE = re.compile(r"(\w*)([.!?…]+)\s+(?=\S)")
_CLAUSE_BREAK_RE = re.compile(r"(\w*)([.!?…:]+)\s+(?=\S)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vol", "no", "nr", "pt", "ft", "feat", "vs", "op", "mt",
                  "prof", "sgt", "lt", "gen", "ste", "bros", "inc", "co"}
# Words that end a post's part but never a title or a name: praise and mood in several languages (in their
# matching form, as `normalize` spells other scripts).
CHATTER_TAIL = {normalize(w) for w in (
    "최고", "좋다", "좋아", "대박", "最高", "大好き", "神曲", "классика", "огонь",
    "temazo", "temazos", "joya", "incrível", "demais", "pépite", "goosebumps", "banger", "vibes",
    "lol", "omg", "rn", "tbt",
)}


def first_clause(text: str) -> str:
    """`text` up to its first sentence end ("Faded. 2015 gaming montage energy" -> "Faded"); abbreviations and
    initials ("Mr. Brightside", "Ben E. King") do not end a sentence."""
    for m in _CLAUSE_END_RE.finditer(text):
        word = m.group(1)
        if m.group(2) == "." and (fold(word) in _ABBREVIATIONS or len(word) == 1):
            continue
        if normalize(text[:m.start(2)]):
            return text[:m.start(2)]
    return text


def core(text: str) -> str:
    """`text` up to its first clause end, without praise words at its end: the words a search should get.
    Scoring still compares the whole reading, so a cut never loosens what counts as a match."""
    s = first_clause(re.split(r"\s+[-–—~]+\s+|\s*[–—]\s*", text)[0])  # "Title – chatter", "Title - Remastered"
    words = s.split()
    while len(words) > 1 and (normalize(words[-1]) in CHATTER_TAIL or is_chatter_word(words[-1])):
        words.pop()
    return " ".join(words).strip(" .!?…") or text


def strip_brackets(title: str) -> str:
    return " ".join(drop_brackets(title).split()) or title


def search_words(text: str) -> str:
    """Words safe in a Spotify query: no quotes, field prefixes, operators or leading minus; no "feat." (a
    word no title or name holds, so an engine that wants every word finds nothing)."""
    s = re.sub(r"[\"“”«»„:()\[\]{}&,!?;*|~^]", " ", text)
    out = []
    for word in s.split():
        word = word.lstrip("-").strip()
        # ...nor the "x" or "vs" that joins two names ("Eslabon Armado x Peso Pluma", "Elvis vs JXL").
        if not word or word in ("OR", "AND", "NOT") or fold(word) in ("feat", "feat.", "ft", "ft.", "featuring",
                                                                         "x", "×", "vs", "vs."):
            continue
        out.append(word)
    return " ".join(out)


# Words a post adds to a title to say which recording it means ("Hallelujah Pentatonix version", "CAKE's I
# Will Survive cover"): the track's name seldom holds them, so an engine that wants every word would find
# nothing. Scoring still sees them.
_NOT_IN_TITLES = {"version", "versión", "versão", "cover"}


def title_words(text: str) -> str:
    """`search_words` of a title, without the words that only say which version."""
    words = search_words(text).split()
    kept = [w for w in words if fold(w) not in _NOT_IN_TITLES]
    return " ".join(kept) if kept else " ".join(words)


# Words that, after the first, start what a post adds to a name or a title rather than continue it ("is so
# underrated", "still hits different", "that intro", "2000 throwback"); not the prepositions and pronouns
# titles are made of ("Walk This Way", "The Girl from Ipanema", "Alors on danse").
_TRIM_BEFORE = {"is", "was", "are", "still", "so", "such", "that", "ngl", "tho", "though", "rn", "today",
                   "tonight", "again", "always", "really", "totally", "makes", "gets", "has", "had", "w", "w/"}


# "... came on shuffle", "... popped up": a song arriving, never inside a title with "on"/"up" after it.
_ARRIVAL_WORDS = {"came", "comes", "popped", "pops"}


def leading_words(text: str) -> str:
    """`text` up to its first word (after the first) that starts chatter, or a year ("Faded 2000 throwback";
    other numbers are names: "99 Luftballons")."""
    words = text.split()
    for i, word in enumerate(words[1:], start=1):
        w = fold(word)
        nxt = fold(words[i + 1]) if i + 1 < len(words) else ""
        if w in _TRIM_BEFORE or is_chatter_word(w) or re.fullmatch(r"(?:19|20)\d\d", w) \
                or (w in _ARRIVAL_WORDS and nxt in ("on", "up")):  # "Dreams came on shuffle and I had to stop"
            return " ".join(words[:i])
    return text


@lru_cache(maxsize=8192)
def name_credits(track_name: str) -> tuple[str, tuple[str, ...]]:
    """A track name without its feature credit, and the guests that credit names: "360 featuring robyn &
    yung lean" -> ("360", ("robyn", "yung lean")); a name without one comes back whole, with no guests."""
    m = _FEAT_RE.search(track_name)
    if not m or m.start() == 0:
        return track_name, ()
    return track_name[:m.start()].strip(), split_artists(m.group(1) or m.group(2))


def split_artists(text: str) -> tuple[str, ...]:
    names = [n.strip(" .,-") for n in _ARTIST_SPLIT_RE.split(text)]
    return tuple(n for n in names if n)


# "not the remix", "more haunting than the live one", "sin remix": a version the post turns down.
_NEGATED_BEFORE_RE = re.compile(r"\b(?:not|no|without|than|instead of|over|before|sin|ohne|nicht|kein\w*|sans|pas|"
                                r"non)\s+(?:[\w'-]+\s+){0,2}$")
# Other languages' words for a live recording, read as "live".
LIVE_WORDS = ("ao vivo", "en vivo", "en directo", "dal vivo")


def _asked(low: str, word: str) -> bool:
    # Not turned down ("not the live one") and not a question ("Taylor's Version? no, the original").
    return any(not _NEGATED_BEFORE_RE.search(low[max(0, m.start() - 40):m.start()])
               and not low[m.end():m.end() + 2].lstrip().startswith("?")
               for m in re.finditer(rf"\b{re.escape(word)}\b", low))


@lru_cache(maxsize=8192)
def version_words(text: str) -> tuple[str, ...]:
    """The versions a post asks for (live, remix, acoustic...), not the ones it turns down."""
    found = []
    low = fold(text)
    for word in ("live", "remix", "acoustic", "instrumental", "demo", "unplugged", "taylor's version", "extended",
                 "karaoke", "sped up", "slowed", "reverb", "nightcore", "lofi", "lo-fi"):
        if _asked(low, word):
            found.append(word)
    if "live" not in found and any(_asked(low, w) for w in LIVE_WORDS):
        found.append("live")
    if _asked(low, "remastered") or _asked(low, "remaster"):
        found.append("remaster")
    # Another language's recording ("FANCY (Japanese ver.)", "Into The Night (English Version)").
    found += [m.group(1) for m in _LANGUAGE_VERSION_RE.finditer(low) if _asked(low, m.group(1))]
    # A take in another style ("Ditto (Orchestral Version)", "Creep - Piano Version"): that one or none.
    found += [w for w in _STYLED_VERSION_RE.findall(low) if w not in found and _asked(low, w)]
    return tuple(found)


_STYLED_VERSION_RE = re.compile(r"\b(orchestral|symphonic|orchestra|piano|strings?|stripped|jazz|a ?cappella|acapella|"
                                r"choir|ballad|rock|metal|reggae|bossa nova|lullaby|christmas|chill|8-bit)\s+"
                                r"(?:version|ver\b)")


LANGUAGE_VERSIONS = frozenset({"japanese", "english", "korean", "chinese", "mandarin", "cantonese", "spanish", "french",
                               "german", "italian", "portuguese", "hindi", "tamil", "telugu", "russian", "turkish",
                               "arabic"})
_LANGUAGE_VERSION_RE = re.compile(rf"\b({'|'.join(sorted(LANGUAGE_VERSIONS))})\s+ver(?:sion|\.|\b)")


def bracket_contents(text: str) -> list[str]:
    """What each bracket of `text` holds: "Hurt (Live) [2002]" -> ["Live", "2002"]."""
    return _BRACKET_CONTENT_RE.findall(text)


def drop_brackets(text: str) -> str:
    """`text` with every bracket and what it holds replaced by a space (nothing left is allowed)."""
    return _PARENS_RE.sub(" ", text)


def _chatter_bracket(inner: str) -> bool:
    return inner == inner.lower() and len(inner.split()) >= 5


def title_suffix(title: str) -> str:
    """What a title carries besides its base: bracket contents and a " - " suffix (where versions live);
    not a lower-case sentence in brackets ("(the tribute band was actually great live)"): chatter."""
    brackets = " ".join(b for b in bracket_contents(title) if not _chatter_bracket(b))
    dash = title.split(" - ", 1)[1] if " - " in title else ""
    return f"{brackets} {dash}".strip()


# "the live one", "the acoustic version", "the remastered Dreams" (a remaster: preferred, the plain take still
# fits).
_GLOBAL_VERSION_RE = re.compile(r"\b(?:the\s+)?(live|acoustic|remix|unplugged|instrumental|extended|sped up|slowed|"
                                r"nightcore|lo-?fi|demo)\s+(?:one|version|take|edit|mix)\b|"
                                r"\b(?:the|that|this)\s+(?:new\s+)?(remaster(?:ed)?)\b|"
                                # "Dreams - Fleetwood Mac, live from The Dance": the performance, after a comma.
                                r"[,;]\s*(live)\s+(?:at|from)\s", re.IGNORECASE)


def base_title(title: str) -> str:
    """A track title without version suffixes or bracketed parts: 'Levels - Radio Edit' -> 'Levels'."""
    s = title.split(" - ")[0] if " - " in title else title
    return strip_brackets(s).strip() or title


def is_derivative(name: str, artists: Iterable[str] = ()) -> bool:
    """Karaoke, tribute, cover and similar re-recordings (by title or by the performer's name)."""
    return bool(DERIVATIVE_RE.search(name) or any(DERIVATIVE_RE.search(a) for a in artists))


_LAUGHTER_RE = re.compile(r"k{3,}|(?:ha){2,}h?|(?:ja){2,}|(?:he){2,}|(?:rs){2,}|(?:ka){3,}|w{3,}|x+d+")


def is_chatter_word(word: str) -> bool:
    """A word that never ends a title; drawn-out spellings too ("lmaooo", "omggg"), and laughter ("kkkkk")."""
    w = normalize(word)
    return (w in CHATTER_WORDS or re.sub(r"(\w)\1{2,}", r"\1", w) in CHATTER_WORDS
            or _LAUGHTER_RE.fullmatch(w) is not None)


def _trim_chatter(title: str) -> str:
    words = title.split()
    while len(words) > 1 and is_chatter_word(words[-1]):
        words.pop()
    return " ".join(words)


def _side(text: str) -> str:
    return text.strip(" \"'“”«»,;:.!?-–—|/~*")


def last_clause(text: str) -> str:
    """`text` after its last clause end ("Sunday soundtrack: Artist", "great day. Artist"): the words next to
    a separator; abbreviations and initials ("Mr.", "Ben E.") do not end a clause."""
    cut = 0
    for m in _CLAUSE_BREAK_RE.finditer(text):
        word = m.group(1)
        if m.group(2) == "." and (fold(word) in _ABBREVIATIONS or len(word) == 1):
            continue
        if normalize(text[m.end():]):
            cut = m.end()
    return text[cut:]


# Words that carry a sentence on after a name ("nirvana is such a vibe", "adele on repeat"), never a name's
# second word.
SENTENCE_WORDS = {"is", "was", "are", "what", "such", "so", "on", "in", "at", "from", "live", "playing", "now",
                  "never", "always", "still", "again", "tho", "though", "rn", "today", "tonight", "right", "just",
                  "pure", "really", "totally", "temazo", "tema", "genial", "top", "will", "makes", "gets", "has",
                  "had", "좋다", "최고", "最高", "大好き"}
# Lower-case words that sit inside names ("Bob Marley & the Wailers", "Alice in Chains", "Drake ft. Kyla").
_NAME_LINKS = {"of", "the", "and", "&", "+", "n", "n'", "de", "del", "la", "le", "da", "van", "von", "y", "in", "at",
               "x", "feat", "feat.", "ft", "ft.", "featuring", "with", "vs", "vs."}
_WRAP = "\"'“”«»()[]{}"


def _capitalised(word: str) -> bool:
    letters = [c for c in word.strip(_WRAP) if c.isalnum()]
    return bool(letters) and (letters[0].isupper() or letters[0].isdigit() or not letters[0].islower())


def _mixed_case(text: str) -> bool:
    return any(c.isupper() for c in text) and any(c.islower() for c in text)


def title_run(text: str) -> str:
    """The capitalised run that ends `text` ("my dad put on Is This Love" -> "Is This Love"): in a mixed-case
    sentence the title is the run of capitalised words before " by "; a lower-case word or two may sit inside
    it ("Stand by Me"), a comma or clause end before it closes it. `text` itself when there is no such run."""
    if not _mixed_case(text):
        return text
    words = text.split()
    start, lower = len(words), 0
    for j in range(len(words) - 1, -1, -1):
        word = words[j]
        bare = word.strip(_WRAP).rstrip(".")
        if j < len(words) - 1 and word[-1:] in ",.:;!?…" and not (
                word[-1] == "." and (len(bare) <= 1 or fold(bare) in _ABBREVIATIONS)):
            break
        if re.fullmatch(r"[\(\[].*[\)\]]", word) and not _VERSION_RE.search(word):
            break  # "my nephew (6) demands Old Town Road": an aside, never inside a title ("(Live)" is)
        if _capitalised(word):
            start, lower = j, 0
        else:
            lower += 1
            if lower > 2 or start == len(words):
                break
    return " ".join(words[start:]) if 0 < start < len(words) else text


def name_run(text: str, context: str = "") -> str:
    """The capitalised name that starts `text` ("Imagine Dragons on Triple J" -> "Imagine Dragons"): in a
    mixed-case sentence (`context`: the whole post) a name ends at the first lower-case word that is not a
    link inside names ("blink-182 is such a vibe" -> "blink-182")."""
    words = text.split()
    kept: list[str] = []
    pending: list[str] = []
    if words and words[0][:1].islower():
        # A name written in lower case ("the killers is such a vibe", in an all-lower-case post too: "cruel
        # summer by taylor swift is the song of every summer"): up to a word that starts a sentence.
        for word in words:
            if kept and fold(word.strip(_WRAP)) in SENTENCE_WORDS:
                break
            kept.append(word)
        return " ".join(kept) if len(kept) < len(words) else text
    if not _mixed_case(context or text):
        return text
    for word in words:
        if _capitalised(word) or not kept:
            kept += [*pending, word]
            pending = []
        elif fold(word.strip(_WRAP)) in _NAME_LINKS and len(pending) < 2:
            pending.append(word)
        else:
            break
    return " ".join(kept) if kept and len(kept) < len(words) else text


_VERSION_BRACKETS_RE = re.compile(r"^(.*?\S\s*[\(\[]([^\)\]]{1,60})[\)\]](?:\s*[\(\[][^\)\]]{1,60}[\)\]])*)\s+"
                                  r"(?!(?:at|in|from|on|live|with|feat|ft|featuring|by)\b)(\w.*)$", re.IGNORECASE)


def _end_at_version(title_part: str) -> str:
    """A title ends at its version bracket when what follows is lower-case chatter ("Sandstorm (Radio Edit)
    duuuu du du"); not when it may still be a name or say which recording: capitals, the performance ("(Live)
    at Knebworth"), a credit ("by"), a version or cover word, a year."""
    m = _VERSION_BRACKETS_RE.match(title_part)
    if not m or not _VERSION_RE.search(f"({m.group(2)})"):
        return title_part
    rest = m.group(3)
    says_which = (VERSION_NAME_RE.search(rest) or DERIVATIVE_RE.search(rest) or _VERSION_RE.search(f"({rest})")
                  or re.search(r"\b(?:19|20)\d\d\b|\b(?:remaster\w*|original)\b", rest, re.IGNORECASE))
    # The pronoun "I" is chatter's capital, not a name's ("on repeat, no I will not be taking questions").
    if re.sub(r"\bI(?=\b|['’])", "i", rest) != rest.lower() or says_which:
        return title_part
    return m.group(1)


# "kesariya lofi version before sleeping", "die with a smile sped up is the only acceptable version": a
# short title, a version word (bare, or "live" before "version") and the sentence going on in lower case.
_VERSION_PHRASE_RE = re.compile(r"^(?P<title>[^,.!?()\[\]\n]{3,60}?)\s+(?P<version>acoustic|remix|unplugged|"
                                r"instrumental|sped[ -]up|slowed(?:\s*(?:\+|and|&)\s*reverb)?|nightcore|lo-?fi|"
                                r"karaoke|live(?=\s+version))(?:\s+(?:version|ver\.?|mix|edit))?"
                                r"(?P<rest>\s+[^\W\d_].*)$", re.IGNORECASE)
_NOT_A_TITLE = {"the", "this", "that", "it", "a", "an", "my", "your", "his", "her", "their", "our", "any", "which"}


def version_phrase(cleaned: str) -> Candidate | None:
    """The reading of a sentence that opens with a song and its version (`_VERSION_PHRASE_RE`), else None."""
    m = _VERSION_PHRASE_RE.match(cleaned)
    if not m or m.group("rest")[1:2].isupper():
        return None
    title = m.group("title").strip()
    # "singing along to the Too Sweet karaoke version": a lower-case "the" before a capitalised name is the
    # sentence's article.
    title = re.sub(r"^the\s+(?=[A-Z])", "", title)
    if len(title.split()) > 6 or fold(title) in _NOT_A_TITLE or len(re.sub(r"\W", "", title)) < 3:
        return None
    version = m.group("version")
    return Candidate(title=f"{title} {version}", prior=0.35, rule="title", versions=version_words(version))


# A version word in a title, after its first word, without brackets ("Everlong acoustic by Foo Fighters",
# "Dynamite instrumental for studying"); not "live" ("Long Live", "Live and Let Die"), which titles often hold.
_BARE_VERSION_RE = re.compile(r"\S\s+(acoustic|remix|unplugged|instrumental|sped up|slowed|nightcore|en vivo|ao vivo|"
                              r"en directo|dal vivo)\b", re.IGNORECASE)
# A bracket on the artist side, unless it is glued to the name ("(G)I-DLE").
_ARTIST_BRACKET_RE = re.compile(r"\s*[\(\[\{][^\)\]\}]*[\)\]\}](?!\w)")


# Words before "'s" that make a contraction, not a possessive name.
# Not "that's" / "what's": "that's so true lol" is a sentence before it is Gracie Abrams.
_CONTRACTED = {"let", "it", "he", "she", "there", "here", "everybody", "nobody", "somebody", "everyone", "someone",
               "today", "tonight", "life", "love", "mama", "daddy"}


def _pair(artist_part: str, title_part: str, prior: float, rule: str) -> Candidate | None:
    # Brackets on the artist side are years or labels ("Prince (1984)"), never part of the name; a version
    # there belongs to the title ("Dancing Queen - ABBA (Sped Up)").
    moved = [b for b in re.findall(r"[\(\[]([^\)\]]{1,60})[\)\]]", artist_part) if VERSION_NAME_RE.search(b)]
    if moved:
        title_part = f"{title_part} " + " ".join(f"({b})" for b in moved)
    artist_part = " ".join(_ARTIST_BRACKET_RE.sub(" ", artist_part).split()) or artist_part
    artist_part, title_part = _side(artist_part), _side(_end_at_version(title_part))
    if not artist_part or not title_part or "|" in artist_part or "|" in title_part:
        return None
    feats: tuple[str, ...] = ()
    m = _FEAT_RE.search(title_part)
    if m and m.start() > 0:
        feats = split_artists(m.group(1) or m.group(2))
        title_part = title_part[:m.start()].strip()
    title_part = _trim_chatter(title_part)
    artist_main = artist_part
    m = _FEAT_RE.search(artist_part)
    if m and m.start() > 0:
        feats = split_artists(m.group(1) or m.group(2)) + feats
        artist_main = artist_part[:m.start()].strip()
    artist_main = _trim_chatter(artist_main)
    artists = split_artists(artist_main) + feats
    if not artists or not normalize(title_part) or not normalize(artist_main):
        return None
    if len(tokens(artist_main)) > 10 or len(tokens(title_part)) > 24:
        return None
    versions = version_words(title_suffix(title_part))
    bare = _BARE_VERSION_RE.search(strip_brackets(title_part))
    if bare and fold(bare.group(1)) not in versions and _asked(fold(title_part), fold(bare.group(1))):
        versions += (fold(bare.group(1)),)  # not "(the original one, before the remix took over)"
    return Candidate(title=_side(title_part), artists=tuple(dict.fromkeys(artists)), artist_text=artist_main,
                     prior=prior, rule=rule, versions=versions)


_PARTNER_RE = re.compile(r"^(?P<title>[^|¶]{2,80}?)\s+(?:remix|version|mix)\s+(?:with|ft\.?|feat\.?|featuring|w/)\s+"
                         r"(?P<artist>[^|¶.!?]{2,60}?)\s*$", re.IGNORECASE)
_FIELD_TITLE_RE = re.compile(r"\b(?:song|title|track|titre|t[ií]tulo|canci[oó]n|titel|brano)\s*[:=]\s*([^|;/\n]+?)"
                             r"\s*(?=$|[|;/\n]|\b(?:artist|artista|artiste|interpr[eè]te|k[üu]nstler|by)\s*[:=])", re.I)
_FIELD_ARTIST_RE = re.compile(r"\b(?:artist|artista|artiste|interpr[eè]te|k[üu]nstler)\s*[:=]\s*([^|;/\n]+?)"
                              r"\s*(?=$|[|;/\n]|\b(?:song|title|track|titre|album)\s*[:=])", re.I)
_DASH_RE = re.compile(r"\s+[-–—~]+\s+|\s*[–—]\s*")
_WEAK_RE = re.compile(r"\s+(de|von|par|di|dei|degli|della|da|do(?=\s+[A-ZÀ-ÖØ-Þ])|van|med|av|mit|met|chante|canta|"
                      r"singt|sings|singing|screaming|playing|plays|performing|performs|"
                      r"с|لـ)\s+")  # Portuguese "do" only before a name: not "what do you mean"
_ELIDED_DE_RE = re.compile(r"(?<=\w)\s+d['’](?=[A-ZÀ-ÖØ-Þ])")
# German "Artist mit Title", Dutch "Artist met Title", "Artist sings Title" (chante, canta, singt) and "Lang
# Lang playing Für Elise" name the artist first; the others put the title first.
_ARTIST_FIRST = {"mit", "met", "chante", "canta", "singt", "sings", "singing", "screaming", "playing", "plays",
                 "performing", "performs"}


_CONTEXT_LINE_RE = re.compile(r"^[\W\d_]*(?:previously|just played|last played|played before|earlier|before|"
                              r"up next|next up|coming up|next|later|then|"
                              # The same labels in the languages radio bots post in (de, fr, es, pt, it, nl, pl,
                              # sv, tr, ru).
                              r"davor|zuvor|vorher|danach|als n[äa]chstes|gleich|avant|pr[ée]c[ée]demment|ensuite|"
                              r"apr[èe]s|[àa] suivre|antes|anteriormente|despu[ée]s|a continuaci[óo]n|a seguir|"
                              r"depois|prima|dopo|a seguire|eerder|hierna|straks|wcze[śs]niej|nast[ęe]pnie|"
                              r"tidigare|sedan|[öo]nceki|sonraki|ранее|далее|затем)\s*:", re.IGNORECASE)
# Bots that label a song's fields with emoji, one a line: "🎶 N.Y. State of Mind / 👤 Nas / 💿 Illmatic".
_EMOJI_FIELDS = (("Song", re.compile(r"^\s*(?:🎶|🎵|🎼)\ufe0f?\s*(?=\S)", re.MULTILINE)),
                 ("Artist", re.compile(r"^\s*(?:👤|🎤|🧑‍🎤|👩‍🎤|👨‍🎤)\ufe0f?\s*(?=\S)", re.MULTILINE)),
                 ("Album", re.compile(r"^\s*(?:💿|📀)\ufe0f?\s*(?=\S)", re.MULTILINE)))


def _emoji_fields(text: str) -> str:
    """Emoji field labels as words ("Song: ... | Artist: ..."), when a post has both a song and an artist line."""
    if not all(rx.search(text) for _, rx in _EMOJI_FIELDS[:2]):
        return text
    for label, rx in _EMOJI_FIELDS:
        text = rx.sub(f"{label}: ", text)
    return text


_TIME_RE = re.compile(r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
# A station's name: a band (FM), "Radio", a frequency, or a public broadcaster's channel (P3, 1LIVE).
_STATION_RE = re.compile(r"\b(?:fm|am|radio|r[aá]dio|radyo|1live|p[1-4]|kexp|wfmu|nts|bbc|npr|swr\d?|ndr|wdr)\b|"
                         r"\b\d{2,3}[.,]\d\b", re.IGNORECASE)


# Readings whose artist is the post's own words: the ones a nickname, a member or a title alias may rename.
_NAMING_RULES = ("dash", "dash-swapped", "by", "quote", "fields", "weak", "possessive")


def name_matches(posted: str, catalog_name: str) -> bool:
    """A post's artist names the catalog's: the same name (one typo allowed in eight letters or more: "Fuji
    Kaze"), or a nickname the alias table knows."""
    a, b = normalize(posted), normalize(catalog_name)
    return a == b or (min(len(a), len(b)) >= 8 and OSA.distance(a, b) <= 1) or canonical_artist(posted) == catalog_name


def candidates(text: str | None) -> list[Candidate]:
    """Ranked readings of a post (best first); empty when it holds nothing that looks like a song.

    A post of several lines usually names the song on its first line and chats below ("thanks @x for
    the rec!"): the first line's readings come first, the whole text's follow at a lower prior."""
    if isinstance(text, str) and "\n" in text:
        text = _emoji_fields(text)
        # A radio log's other songs ("Previously: ...", "Next: ...") are never what is playing.
        playing = [line for line in text.splitlines() if not _CONTEXT_LINE_RE.match(line)]
        lines = [line for line in playing if clean(line)]
        if lines:
            text = "\n".join(playing)
        else:
            lines = [line for line in text.splitlines() if clean(line)]
        if len(lines) > 1:
            first = _candidates(lines[0])
            rest = [Candidate(c.title, c.artists, c.artist_text, c.prior * 0.7, c.rule, c.versions)
                    for c in _candidates(text) if all((c.title, c.artists) != (f.title, f.artists) for f in first)]
            return sorted(first + rest, key=lambda c: -c.prior)
    return _candidates(text)


def _candidates(text: str | None) -> list[Candidate]:
    cleaned = clean(text)
    if not cleaned or not normalize(cleaned):
        return []
    out: list[Candidate] = []

    def add(c: Candidate | None) -> None:
        if c is not None and all((c.title, c.artists) != (o.title, o.artists) for o in out):
            out.append(c)

    # Karaoke and soundalike tracks named after the original: "Creep (In the Style of Radiohead) [Karaoke
    # Version]". The post names the original's artist, not the label that recorded it.
    style = STYLE_OF_RE.search(cleaned)
    if style and normalize(style.group("title")) and normalize(style.group("artist")):
        add(Candidate(title=_side(style.group("title")), artists=(style.group("artist").strip(),),
                      artist_text=style.group("artist").strip(), prior=0.9, rule="style",
                      versions=("karaoke",) if "karaoke" in fold(cleaned) else ()))
    # Labelled fields: "Song: Billie Jean | Artist: Michael Jackson" (radio bots, scrobblers).
    title_field = _FIELD_TITLE_RE.search(cleaned)
    artist_field = _FIELD_ARTIST_RE.search(cleaned)
    if title_field and artist_field:
        add(_pair(artist_field.group(1), title_field.group(1), 0.97, "fields"))

    # Quotes: "Title" by Artist, Artist - "Title", Artist "Title"; single quotes around whole words
    # ("NewJeans 'Ditto'"), never an apostrophe ("Don't").
    q = _QUOTE_RE.search(cleaned)
    single = q is None and (q := _SINGLE_QUOTE_RE.search(cleaned)) is not None
    if q:
        # The rest of the quote's own segment ("Station | Now playing: "Title" - Artist | 05:20 | Previously: ..."),
        # without a lead-in or a Japanese の before the quote ("Gloria Jones の「Tainted Love」").
        seg_start = cleaned.rfind("|", 0, q.start()) + 1
        seg_end = cleaned.find("|", q.end()) % (len(cleaned) + 1)
        rest = (cleaned[seg_start:q.start()] + " " + cleaned[q.end():seg_end]).strip()
        rest = _PREFIX_RE.sub("", rest) if seg_start else rest
        rest = rest.removesuffix("の").rstrip()
        rest = re.sub(r"^\s*(?:by|-|–|—|:)\s+|\s+(?:by|-|–|—)\s*$", "", rest, flags=re.IGNORECASE)
        rest = re.sub(r"^\s*(?:by|de|von|par|di|da|van)\s+", "", rest, flags=re.IGNORECASE)
        # '"Title" by Artist on Station — chatter': the name, then the whole rest.
        # Single quotes are less sure (apostrophes look alike): below a dash's reading; so is a quote after a
        # whole "Artist – Title" ('Djo – End of Beginning "and when I'm back in Chicago I feel it"'): a lyric
        # or a comment.
        lyric = re.search(r"\S\s+[-–—]\s+\S.*\s$", cleaned[:q.start()]) is not None
        prior = 0.55 if single or lyric else 0.95
        add(_pair(name_run(core(rest), cleaned), q.group(1), prior, "quote"))
        add(_pair(rest, q.group(1), prior - 0.01, "quote"))
    # Pipes: "Artist - Title | Station": a segment with a separator wins, the rest is chatter.
    translated: list[str] = []
    # (A time of day is no part of a song: "1LIVE | Rema | Calm Down | 23:13".)
    segments = [s.strip() for s in cleaned.split("|") if s.strip() and not _TIME_RE.fullmatch(s.strip())]
    if len(segments) > 1:
        with_dash = [s for s in segments if _DASH_RE.search(s)]
        with_by = [s for s in segments if re.search(r"\s+by\s+", s, re.IGNORECASE)]
        if not with_dash and with_by:
            cleaned = with_by[0]  # "FIP ▶ Africa by TOTO"
        elif with_dash:
            cleaned = with_dash[0]
            # "عمرو دياب - تملي معاك | Amr Diab - Tamally Maak": the same song in another script, a reading
            # of its own (not "Now: A - T | Next: B - U", whose segments share a script).
            if len(segments) == 2 and len(with_dash) == 2 and not _PLAYLIST_LABEL_RE.search(segments[1]) \
                    and in_latin_script(with_dash[1]) != in_latin_script(cleaned) \
                    and _same_artist_spelt(cleaned, with_dash[1]):
                translated = [with_dash[1]]
        else:
            # "Station ▶ Title (Artist) 1958": a segment shaped "Title (Artist)" beats the pipe's guesses.
            for segment in segments:
                shaped = _bracket_artist(segment)
                if shaped:
                    add(_pair(shaped[1], shaped[0], 0.62, "segment-bracket"))
            if len(segments) == 2:
                add(_pair(segments[0], segments[1], 0.6, "pipe"))
                add(_pair(segments[1], segments[0], 0.4, "pipe"))
            elif len(segments) == 3:
                # Radio bots: "Artist | Title | Station", less often "Station | Artist | Title".
                if _STATION_RE.search(segments[0]) and not _STATION_RE.search(segments[2]):
                    add(_pair(segments[1], segments[2], 0.6, "pipe"))
                add(_pair(segments[0], segments[1], 0.58, "pipe"))
                add(_pair(segments[1], segments[2], 0.5, "pipe"))
                add(_pair(segments[1], segments[0], 0.42, "pipe"))
                add(_pair(segments[2], segments[1], 0.4, "pipe"))
    # Dashes: Artist - Title (more common) or Title - Artist.
    parts = [p for p in _DASH_RE.split(cleaned) if p.strip()]
    if len(parts) == 2 and VERSION_LABEL_RE.match(_side(parts[1])) and not VERSION_LABEL_RE.match(_side(parts[0])):
        # "Here Comes The Sun - Remastered 2009": a scrobbled name, no artist on either side.
        parts = []
    if len(parts) >= 2:
        left, right = parts[0], " - ".join(parts[1:])
        # "Sunday soundtrack: Artist – Title", "gym day. Artist - Title": the clause next to the dash.
        tail = last_clause(left)
        if tail != left:
            add(_pair(tail, right, 0.61, "dash"))
            add(_pair(right, tail, 0.46, "dash-swapped"))
        add(_pair(left, right, 0.6, "dash"))
        add(_pair(right, left, 0.45, "dash-swapped"))
        by_left = re.split(r"\s+by\s+", left, flags=re.IGNORECASE)
        if len(by_left) > 1 and normalize(by_left[-1]):
            # "I'm 34 and still emotionally wrecked by Phoebe Bridgers - Motion Sickness"
            add(_pair(by_left[-1], right, 0.62, "dash"))
        if len(parts) >= 3:
            # "Artist - Title - Remastered" / "Station - Artist - Title"; not without a version the post
            # names ("Artist - Title - Thin White Duke Mix": that mix or none).
            if not VERSION_NAME_RE.search(" ".join(parts[2:])):
                add(_pair(parts[0], parts[1], 0.5, "dash3"))
            add(_pair(parts[-2], parts[-1], 0.45, "dash3"))
    for segment in translated:
        for c in _candidates(segment):
            add(Candidate(c.title, c.artists, c.artist_text, round(c.prior * 0.9, 3),
                          "other-script" if c.rule == "dash" else c.rule, c.versions))
    # "Ryan Adams' cover of Wonderwall", "Weezer covering Africa by Toto": the cover artist's recording.
    cover = _COVER_RE.search(cleaned)
    if cover:
        # The name ends the part before the phrase, the title starts the part after it.
        add(_pair(title_run(last_clause(cover.group("artist"))), name_run(core(cover.group("title")), cleaned), 0.85,
                  "cover"))
    # "Essence remix with Justin Bieber": the version is named by its partner, whom the recording credits.
    partner = _PARTNER_RE.match(cleaned)
    if partner:
        add(_pair(partner.group("artist"), partner.group("title"), 0.7, "partner"))
    # "Title by Artist": the last " by " first ("Stand by Me by Ben E. King").
    by_positions = [m for m in re.finditer(r"\s+by\s+", cleaned, re.IGNORECASE)]
    for rank, m in enumerate(reversed(by_positions[-3:])):  # the last few: a list of "by"s is no song
        # In a sentence ("my dad put on Is This Love by Bob Marley in the car"), the capitalised runs first.
        title_part, artist_part = cleaned[:m.start()], cleaned[m.end():]
        add(_pair(name_run(core(artist_part), cleaned), title_run(last_clause(title_part)), 0.81 - 0.1 * rank,
                  "by"))
        add(_pair(artist_part, title_part, 0.8 - 0.1 * rank, "by"))
    # Slashes with spaces: Artist / Title (AC/DC stays whole).
    slash = re.split(r"\s+/\s+", cleaned)
    if len(slash) == 2:
        add(_pair(slash[0], slash[1], 0.5, "slash"))
        add(_pair(slash[1], slash[0], 0.4, "slash-swapped"))
    # Weak separators in other languages, in the whole text and in each dash part: "Title de Artist",
    # "Titel von Artist", "Artist mit Titel".
    pieces = [cleaned] + ([p for p in parts if p.strip()] if len(parts) >= 2 else [])
    for piece in pieces:
        # French elides "de" before a vowel: "Balance ton quoi d'Angèle".
        for m in list(_ELIDED_DE_RE.finditer(piece))[-3:]:
            add(_pair(piece[m.end():], piece[:m.start()], 0.35, "weak"))
        for m in list(_WEAK_RE.finditer(piece))[-3:]:
            before, after = piece[:m.start()], piece[m.end():]
            if m.group(1).lower() in _ARTIST_FIRST:
                add(_pair(name_run(before, cleaned), after, 0.35, "weak"))
                add(_pair(before, after, 0.35, "weak"))
            else:
                # "Atemlos durch die Nacht von Helene Fischer auf der Hochzeit": the name, then chatter (or
                # a name with a lower-case word: "Delilah (pull me out of this) de Fred again..").
                add(_pair(name_run(after, cleaned), last_clause(before), 0.35, "weak"))
                add(_pair(after, before, 0.35, "weak"))
                if m.group(1) == "da":  # Punjabi "Artist da Title" ("Diljit da Lover"), after the Romance order
                    add(_pair(before, after, 0.34, "weak"))
    # Colon: "Artist: Title", when nothing else reads ("La canción del verano: TQG de Karol G": the "de").
    if not out and ": " in cleaned:
        left, _, right = cleaned.partition(": ")
        add(_pair(left, right, 0.45, "colon"))
    # "Title, Artist" / "Artist, Title" at the first comma outside brackets (weak: many titles have commas).
    comma_at = _top_level_comma(cleaned)
    if comma_at > 0:
        left, right = cleaned[:comma_at], cleaned[comma_at + 2:]
        add(_pair(right, left, 0.3, "comma"))
        add(_pair(left, right, 0.25, "comma-swapped"))
    # "Artist's Title", Korean "Artist의 Title".
    # (Turkish "Barış Manço'dan Gülpembe", "Tarkan'ın Şımarık": from / of, after an apostrophe.)
    possessive = re.match(r"^(.{2,80}?)(?:['’]s|의|['’](?:dan|den|tan|ten|[nı]ın|[n]?in|[n]?un|[n]?ün))\s+(.{2,})$",
                          cleaned)
    if possessive is None and (jp := re.match(r"^([^\sの]{2,20})の\s*(.{2,})$", cleaned)) \
            and (canonical_artist(jp.group(1)) or not unread_letters(jp.group(2))):
        possessive = jp  # "米津玄師のLemon": Japanese の, only for a known name or before a Latin title
    if possessive and (last_clause(possessive.group(1)) != possessive.group(1) or _DASH_RE.search(possessive.group(1))
                       or possessive.group(1).count("(") > possessive.group(1).count(")")):
        # "song. someone's voice": chatter; "Love Story (Taylor's Version)": a version's name; not "Artist's Title"
        possessive = None
    if possessive and fold(possessive.group(1)) in _CONTRACTED:
        possessive = None  # "Let's Stay Together", "It's My Life": a contraction, not a name's
    if possessive and not any(c.rule in ("dash", "by", "quote", "fields") for c in out):
        # "A ft. B, C's Title": the comma belongs to the artist list, so this reading beats the comma's.
        # "Toto's Africa on the bus speaker, no one complained": the comma after the title is chatter too.
        listed = "," in possessive.group(1) or bool(_FEAT_RE.search(possessive.group(1) + " x"))
        # "Disturbed's Sound of Silence cover": the name says whose take; "cover" is not in its title.
        title = re.sub(r"\s+(?:cover|version)$", "", possessive.group(2), flags=re.IGNORECASE)
        add(_pair(possessive.group(1), title, 0.32 if listed or "," in possessive.group(2) else 0.28, "possessive"))
    if not out:
        # "Title (Artist feat. X)", "Title (Artist). good morning".
        shaped = _bracket_artist(cleaned)
        if shaped:
            add(_pair(shaped[1], shaped[0], 0.25, "bracket-artist"))
    # '"Heroes"' typed wrong, then right in brackets: 'Bowie – "Heries" ("Heroes")'; "Day-O (The Banana Boat
    # Song)": the bracketed name is a reading of its own.
    for c in list(out):
        alias = re.search(r"[\(\[]\s*([^\)\]]{2,60}?)\s*[\)\]]", c.title)
        # "봄날 (Spring Day) - BTS": read the other way too when the bracket is the title in another script.
        other_script = alias is not None and in_latin_script(alias.group(1)) != in_latin_script(strip_brackets(c.title))
        if (c.rule in ("quote", "dash", "dash3", "by", "fields") or (c.rule == "dash-swapped" and other_script)) \
                and alias and _names_a_title(alias.group(1)):
            add(Candidate(title=_side(alias.group(1)), artists=c.artists, artist_text=c.artist_text,
                          prior=round(c.prior * 0.8, 3), rule="alias", versions=c.versions))
    # "Drizzy - God's Plan", "아이유 - 좋은 날": the artist by the catalog's name, read first (the nickname is
    # nobody else's name).
    for c in list(out):
        if c.artists and c.rule in _NAMING_RULES and (name := canonical_artist(c.artists[0])):
            add(Candidate(c.title, (name, *c.artists[1:]), name, round(c.prior * 1.01, 3), "nickname", c.versions))
    # "Bad Buny - Tití Me Preguntó": a well-known artist's name with one typo, by its spelling, read first (an
    # engine that wants every word finds nothing for the typo).
    for c in list(out):
        if c.artists and c.rule in _NAMING_RULES and (name := respelled(c.artists[0])):
            add(Candidate(c.title, (name, *c.artists[1:]), name, round(c.prior * 1.01, 3), "respelled", c.versions))
    # "Serj Tankian screaming Chop Suey", "Jarvis Cocker's Disco 2000": a member named for the band, read
    # after the post's own name (a member's solo songs are theirs).
    for c in list(out):
        if c.artists and c.rule in _NAMING_RULES:
            for band in bands_of(c.artists[0]):
                add(Candidate(c.title, (band, *c.artists[1:]), band, round(c.prior * 0.99, 3), "member", c.versions))
    # "BTS - Spring Day" for 봄날: the song by the catalog's title, when the post names its artist too (the
    # score still wants that artist: a translated title alone is too often another song's name).
    for c in list(out):
        if c.artists and c.rule in (*_NAMING_RULES, "nickname", "respelled"):
            # "Qing Tian (晴天)", "Shi Nian (十年)，每次聽都想哭": the title, its bracket or its chatter aside.
            # Not when the bracket names a version ("Spring Day (Japanese ver.)" is not 봄날).
            plain = core(strip_brackets(c.title))
            keys = [core(c.title)]
            if not (version_words(c.title) or _LANGUAGE_VERSION_RE.search(fold(c.title))):
                keys += [plain, re.split(r"\s*[,，]", plain)[0]]
            named = dict.fromkeys(t for key in keys for t in canonical_titles(key))
            for artist, title in named:
                if name_matches(c.artists[0], artist):
                    renamed = Candidate(title, (artist, *c.artists[1:]), artist, round(c.prior * 1.02, 3),
                                        "title-alias", c.versions)
                    # The post's own bracket may have read the same ("Qing Tian (晴天)"): the table says it
                    # is the song, so that reading goes first.
                    out[:] = [o for o in out if (o.title, o.artists) != (renamed.title, renamed.artists)]
                    add(renamed)
    # "Кино - Кукушка", "अरिजीत सिंह - तुम ही हो": the song in Latin letters too, as a catalog may list it.
    for c in list(out):
        if c.rule in ("dash", "by", "quote", "fields") and not in_latin_script(c.artist_text + c.title):
            add(_in_latin(c))
    if not out or all(c.rule in ("comma", "comma-swapped", "bracket-artist") for c in out):
        # "Enter Sandman (Remastered 2021) sounds so crisp": the name ends at its version bracket.
        title = _trim_chatter(_side(_end_at_version(cleaned)))
        if not any(c.rule == "bracket-artist" for c in out) and (phrase := version_phrase(cleaned)) is not None:
            # "die with a smile sped up is the only acceptable version": the song and its version, then a
            # sentence; the commas after it are the sentence's, not an artist list's.
            out = [phrase]
        elif title and len(tokens(title)) <= 16:
            out.append(Candidate(title=title, prior=0.2 if out else 0.3, rule="title",
                                 versions=version_words(title_suffix(title))))
            # "Vaundy 怪獣の花唄", "JJ Lin 林俊杰 江南": no separator, but a well-known name first.
            if len(out) == 1 and (lead := leading_artist(title)) is not None and normalize(lead[1]):
                out.insert(0, Candidate(title=lead[1], artists=(lead[0],), artist_text=lead[0], prior=0.32,
                                        rule="lead", versions=out[0].versions))
    asked = tuple(("remaster" if m.group(2) else (m.group(1) or m.group(3)).lower())
                  for m in _GLOBAL_VERSION_RE.finditer(cleaned)
                  if not _NEGATED_BEFORE_RE.search(fold(cleaned[max(0, m.start() - 40):m.start()])))
    # A version in brackets anywhere ("Title - Artist (live acoustic version)") is asked of every reading.
    asked += version_words(" ".join(b for b in bracket_contents(cleaned) if not _chatter_bracket(b)))
    if asked:
        out = [Candidate(c.title, c.artists, c.artist_text, c.prior, c.rule, tuple(dict.fromkeys(c.versions + asked)))
               for c in out]
    out.sort(key=lambda c: -c.prior)
    return out


_CREDIT_WORDS_RE = re.compile(r"^\s*(?:feat|ft|with|w/|from|prod|produced|by|remaster|bonus|original|"
                              r"(?:19|20)\d{2}\b)", re.IGNORECASE)


_INDIC_RE = re.compile(r"[\u0900-\u0dff]")  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil ... Sinhala


def _in_latin(c: Candidate) -> Candidate | None:
    """The reading in Latin letters, when its script has them (not kanji: "米津玄師")."""
    # Indian film music is catalogued in Latin letters ("Tum Hi Ho", Arijit Singh): that spelling is
    # searched first; other scripts' catalogs keep their own (Кино, 봄날), so it comes after.
    indic = bool(_INDIC_RE.search(c.artist_text + c.title))
    latin = _pair(to_latin(c.artist_text.casefold()), to_latin(c.title.casefold()),
                  round(c.prior * (1.01 if indic else 0.8), 3), "latin")
    if latin is None or unread_letters(f"{latin.artist_text} {latin.title}"):
        return None  # a letter left unread (kanji: "推shino子")
    return latin


# "Now: A - T | Next: B - U": segments that name other songs.
_PLAYLIST_LABEL_RE = re.compile(r"\b(?:next|up next|coming up|previous|before|later|then|after|далее|потом|siguiente|"
                                r"despu[eé]s|ensuite|danach|dopo|depois|次|다음)\b", re.IGNORECASE)


def _same_artist_spelt(first: str, second: str) -> bool:
    """Two "Artist - Title" segments in different scripts name one artist: alike once spelt in Latin letters,
    or not comparable at all (Arabic, kanji: no Latin spelling here)."""
    names = [normalize(_DASH_RE.split(seg)[0]) for seg in (first, second)]
    if not all(names) or not all(re.fullmatch(r"[a-z0-9 ]+", n) for n in names):
        return True
    return fuzz.ratio(names[0], names[1]) >= 70


def _names_a_title(inner: str) -> bool:
    """Bracket contents that can be a song's name: not a version, a credit or a year."""
    inner = _side(inner)
    return bool(normalize(inner)) and not version_words(inner) and not _CREDIT_WORDS_RE.match(inner) \
        and not _VERSION_RE.search(f"({inner})")


def _bracket_artist(text: str) -> tuple[str, str] | None:
    """(title, artist) of "Title (Artist)", "Title (Artist) 1958", "Title (Artist). chatter"; None else."""
    m = re.match(r"^(.{1,80}?)\s*[\(\[]([^\)\]]{2,60})[\)\]]\s*(?:(?:19|20)\d{2})?\s*$", core(text))
    if not m or not _names_a_title(m.group(2)):
        return None
    return m.group(1), m.group(2)


def _top_level_comma(text: str) -> int:
    """Index of the first ", " outside brackets, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0 and text[i + 1:i + 2] == " ":
            return i
    return -1


def looks_like_music(text: str, *, structured: bool = False, title: str = "") -> bool:
    """False for posts whose words say games, sports, podcasts, audiobooks, spam; and, unless the post has an
    artist/title structure (`structured`: "Title - Artist [Deluxe Edition]"), TV, film, a record or a list.
    A structured post is judged by its first sentence ("Alan Walker - Faded. 2015 gaming montage energy"),
    without the words of the `title` a delimited reading names ("TIME OF THE SEASON by THE ZOMBIES")."""
    words = set(tokens(text))
    if structured:
        return not ((set(tokens(first_clause(text))) - set(tokens(title))) & NOT_MUSIC)
    return not (words & (NOT_MUSIC | SCREEN_WORDS | RECORD_WORDS))


def query_key(cleaned: str) -> str:
    """Cache key: the cleaned text, folded. Candidates are a function of it, so reposts share one entry."""
    # The version prefix changes when the resolver reads posts differently, so a cached answer (a negative
    # one above all) from an older resolver does not hide what the new one finds.
    return "v4|" + " ".join(fold(cleaned).split())
