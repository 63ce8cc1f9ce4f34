"""Generate the bundled demo set (deterministic; run once, output committed):

    python -m nowplaying.dev.demo_data [--out jobs/nowplaying/emulator/fixtures/demo]

writes x/tweets.jsonl + x/users.jsonl (X API v2 Tweet/User objects), mastodon/statuses.jsonl (Mastodon
Status entities, content rendered as Mastodon renders it), spotify/catalog.json (the resolution-dev
format: tracks, artists, audio_features by id) and labels.json (post id -> {"accept": [...],
"ambiguous": bool}).

The songs are real (demo_songs.txt, authored by hand); every id, popularity and audio feature is
derived from a seeded generator, so the same command always writes the same bytes. Posts take the
shapes real #NowPlaying posts take: Spotify app shares, radio-station bots, scrobblers, Apple Music and
YouTube shares, free writing in several orders and languages, CamelCase hashtags, and non-music posts.
Labels say which catalog tracks a post may be resolved to: the song's studio recording (and its
remaster, the same recording); the live version only when the post says live or links it; nothing for
non-music posts, albums, and songs the catalog does not hold. Nothing here is tuned to a resolver.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import math
import random
import re
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261127
START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 27, 21, 45, tzinfo=UTC)
N_X, N_MASTODON = 1300, 1100
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
X_EPOCH_MS = 1288834974657
LOCAL = "mastodon.social"

GENRES = {
    "edm": ["edm", "pop dance", "electro house"], "britpop": ["britpop", "permanent wave", "rock"],
    "pop80": ["pop", "dance pop", "new wave pop"], "funk": ["funk", "pop", "minneapolis sound"],
    "pop": ["pop", "dance pop"], "classic_rock": ["classic rock", "rock", "album rock"],
    "french": ["chanson", "french pop"], "punk": ["pop punk", "punk", "skate punk"],
    "latin_rock": ["rock en espanol", "latin rock"], "latin": ["latin pop", "latin"],
    "jpop": ["j-pop", "anime", "j-rock"], "jazz": ["jazz", "bebop", "cool jazz"],
    "hiphop": ["hip hop", "rap", "west coast rap"], "hard_rock": ["hard rock", "glam metal", "rock"],
    "metal": ["metal", "thrash metal", "heavy metal"], "nu_metal": ["nu metal", "alternative metal"],
    "german_metal": ["neue deutsche harte", "industrial metal"], "grunge": ["grunge", "alternative rock"],
    "alt_rock": ["alternative rock", "modern rock"], "rnb": ["r&b", "contemporary r&b"],
    "indie": ["indie rock", "indie pop", "modern rock"], "post_punk": ["post-punk", "new wave"],
    "synthpop": ["synthpop", "new wave", "new romantic"], "soul": ["soul", "motown", "classic soul"],
    "german_electronic": ["krautrock", "electronic"], "german_pop": ["neue deutsche welle", "german pop"],
    "german_punk": ["deutschpunk", "german rock"], "schlager": ["schlager"],
    "german_hiphop": ["deutschrap", "german hip hop"], "country": ["country", "classic country"],
    "disco": ["disco", "funk", "soul"], "french_electronic": ["filter house", "french house", "electro"],
    "chanson": ["chanson", "french jazz"], "pop_rock": ["pop rock", "modern rock"],
    "industrial": ["industrial rock", "alternative metal"], "folk": ["folk", "singer-songwriter", "folk rock"],
    "acapella": ["a cappella"], "reggae": ["reggae", "roots reggae"], "trip_hop": ["trip hop", "electronica"],
    "reggaeton": ["reggaeton", "urbano latino", "trap latino"], "kpop": ["k-pop", "k-pop girl group"],
    "citypop": ["city pop", "japanese soul"], "japanese_classical": ["japanese classical", "soundtrack"],
    "russian_rock": ["russian rock", "russian post-punk"], "russian_pop": ["russian pop"],
    "arabic": ["arab pop", "egyptian pop"], "rai": ["rai", "algerian pop"], "rock_n_roll": ["rock-and-roll"],
    "art_pop": ["art pop", "art rock"], "rock": ["italian rock", "rock"], "italian": ["italian pop"],
    "neo_classical": ["neo-classical", "compositional ambient"], "soundtrack": ["soundtrack", "orchestral"],
    "afrobeats": ["afrobeats", "nigerian pop"], "afrobeat": ["afrobeat"], "uk_rap": ["uk hip hop", "rap"],
}
# (genre keys) -> post language for people writing in their own language
LANG_GENRES = {
    "es": {"latin", "latin_rock", "reggaeton"}, "de": {"german_metal", "german_pop", "german_punk", "schlager",
                                                       "german_hiphop", "german_electronic"},
    "fr": {"french", "chanson", "french_electronic"}, "ja": {"jpop", "citypop", "japanese_classical"},
    "ko": {"kpop"}, "ru": {"russian_rock", "russian_pop"}, "ar": {"arabic", "rai"}, "it": {"italian", "rock"},
    "pt": set(),
}
STATIONS = ["Retro FM", "Radio Paradise", "KEXP 90.3", "Rock Antenne", "Los 40", "NRJ", "Kiss FM UK",
            "Radio Caroline", "Absolute 80s", "J-WAVE", "FIP", "Radio Bob!", "Classic Rock 101", "SomaFM Groove Salad"]
VENUES = ["Wembley Stadium", "Madison Square Garden", "Rock in Rio", "Glastonbury", "the Royal Albert Hall",
          "Red Rocks", "Montreux Jazz Festival", "Budokan"]
MASTODON_DOMAINS = [LOCAL, LOCAL, LOCAL, "fosstodon.org", "mastodon.online", "mas.to", "hachyderm.io",
                    "musician.social", "social.tchncs.de", "pawoo.net", "mastodon.world", "todon.eu"]

# Songs people post about that the catalog does not hold: the right answer is no track, even where a
# catalog song shares the title.
NOT_IN_CATALOG = [("Evanescence", "Hello"), ("Stone Temple Pilots", "Creep"), ("Seal", "Crazy"),
                  ("Christina Aguilera", "Hurt"), ("Zedd & Alessia Cara", "Stay"), ("Beyoncé", "Sorry"),
                  ("Three Dog Night", "One"), ("Del Shannon", "Runaway"), ("Nickelback", "Animals"),
                  ("A Perfect Circle", "Imagine"), ("Cardi B", "Money"), ("Steve Winwood", "Valerie"),
                  ("The Smashing Pumpkins", "Perfect"), ("Alesso", "Heroes"), ("Souldecision", "Faded"),
                  ("Manchester Orchestra", "Umbrella"), ("Marilyn Manson", "Tainted Love"),
                  ("Disturbed", "The Sound of Silence"), ("Postmodern Jukebox", "Creep"),
                  ("Gerry Cinnamon", "Canter"), ("Idles", "Never Fight a Man With a Perm"),
                  ("Wet Leg", "Chaise Longue"), ("Sleaford Mods", "Jobseeker"), ("Khruangbin", "Maria También")]

NON_MUSIC = [
    ("tv", "#NowPlaying Stranger Things season 4 on Netflix, episode 7 is insane"),
    ("tv", "#NowPlaying The Office (US) for the 12th time, no regrets"),
    ("tv", "#NowPlaying Squid Game 2 — no spoilers please!!"),
    ("tv", "#NowPlaying Breaking Bad rewatch, S05E14 Ozymandias 😳"),
    ("tv", "#NowPlaying Gilmore Girls with a hot chocolate ☕ #cozy"),
    ("tv", "#NowPlaying Dark (Netflix) auf Deutsch mit Untertiteln"),
    ("tv", "#NowPlaying La Casa de Papel, parte 5 🔴"),
    ("tv", "#NowPlaying 進撃の巨人 The Final Season 完結編"),
    ("game", "#NowPlaying Elden Ring — finally beat Malenia after 60 tries"),
    ("game", "#NowPlaying Baldur's Gate 3, honour mode, pray for me"),
    ("game", "#NowPlaying Hollow Knight: Silksong!!! it is real"),
    ("game", "#NowPlaying Stardew Valley on the Switch before bed 🌱"),
    ("game", "#NowPlaying FIFA 25 with the boys, 3-0 down at half time"),
    ("game", "#NowPlaying Zelda: Tears of the Kingdom #NintendoSwitch"),
    ("game", "#NowPlaying Minecraft survival, day 412"),
    ("game", "#NowPlaying Tetris 99 — 1st place 🏆"),
    ("sports", "#NowPlaying Arsenal vs Chelsea, come on you Gunners!"),
    ("sports", "#NowPlaying Lakers @ Celtics, 4th quarter, tied"),
    ("sports", "#NowPlaying the F1 Abu Dhabi Grand Prix qualifying"),
    ("sports", "#NowPlaying Real Madrid - Barcelona, El Clásico ⚽"),
    ("sports", "#NowPlaying the Thanksgiving game on TV, go Lions!"),
    ("podcast", "#NowPlaying The Joe Rogan Experience #2215"),
    ("podcast", "#NowPlaying Lex Fridman Podcast with a physicist, 3 hours long"),
    ("podcast", "#NowPlaying Song Exploder: how they made a hit (podcast)"),
    ("podcast", "#NowPlaying episode 212 of our podcast! link in bio 🎙️"),
    ("podcast", "#NowPlaying Hardcore History — Blueprint for Armageddon part 3"),
    ("audiobook", "#NowPlaying Project Hail Mary audiobook, chapter 14"),
    ("album", "#NowPlaying Abbey Road, side B front to back. nothing beats it"),
    ("album", "#NowPlaying Rumours by Fleetwood Mac (the whole album, on vinyl)"),
    ("album", "#NowPlaying the full OK Computer album, 26 years later still perfect"),
    ("album", "#NowPlaying Un Verano Sin Ti (álbum completo) ☀️"),
    ("album", "#NowPlaying my Discover Weekly playlist, 30 songs of chaos"),
    ("album", "#NowPlaying Lo-fi beats to study/relax to 📚"),
    ("radio", "#NowPlaying The Breakfast Show with DJ Mike on 101.5 — call in now!"),
    ("radio", "#NowPlaying ads. so many ads. #radio"),
    ("spam", "Follow us for the best hits!!! #NowPlaying #hits #music #follow"),
    ("spam", "🔥🔥 FREE followers 👉 bit.ly/f0ll0w 👈 #NowPlaying #music #viral"),
    ("spam", "#NowPlaying #Music #Hits #Top40 #Radio #Live #Stream #DJ #Party #Dance"),
    ("spam", "Submit your track to our playlist today! DM for promo #NowPlaying #indieartist"),
    ("spam", "Buy cheap concert tickets here >>> tix-deals.example #NowPlaying"),
    ("empty", "#NowPlaying"),
    ("empty", "#nowplaying"),
    ("empty", "#NowPlaying 🎧"),
    ("empty", "#NowPlaying 🔊🔊🔊"),
    ("empty", "#NowPlaying ..."),
    ("other", "#NowPlaying nothing, silence is golden"),
    ("other", "#NowPlaying my neighbour's drill at 8am on a Sunday"),
    ("other", "#NowPlaying the rain on the window 🌧️"),
    ("other", "#NowPlaying my own mixtape lol, dropping soon"),
    ("other", "#NowPlaying whatever the DJ at this wedding thinks is a good idea"),
    ("other", "what's everyone's #NowPlaying tonight? drop it below 👇"),
    ("other", "#NowPlaying a cat video compilation. no shame."),
    ("other", "#NowPlaying bird song in the park 🐦"),
    ("other", "#NowPlaying Ruhe. Einfach mal Ruhe."),
    ("other", "#NowPlaying les bruits de la ville, fenêtre ouverte"),
]


def b62(key: str, length: int = 22) -> str:
    """A Spotify-style id derived from `key`: stable whatever order things are generated in."""
    number = int.from_bytes(hashlib.sha256(key.encode()).digest(), "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, 62)
        out.append(B62[digit])
    return "".join(out)


def unit(key: str) -> float:
    """A stable pseudo-random number in [0, 1) from a key."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64


@dataclass
class Song:
    artists: list[str]
    name: str
    album: str
    year: int
    genre: str
    recording: list[str] = field(default_factory=list)  # ids of the studio recording (original, remaster)
    live_id: str | None = None
    link_id: str | None = None  # the id an app share links


def load_songs() -> list[Song]:
    songs = []
    for line in (Path(__file__).with_name("demo_songs.txt")).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        artists, name, album, year, genre = line.split("|")
        songs.append(Song(artists.split(";"), name, album, int(year), genre))
    return songs


# --- the Spotify catalog ------------------------------------------------------------------------


class Catalog:
    def __init__(self) -> None:
        self.tracks: list[dict[str, Any]] = []
        self.artists: dict[str, dict[str, Any]] = {}
        self.features: dict[str, dict[str, Any]] = {}

    def artist(self, name: str, genre: str | None) -> dict[str, Any]:
        if name not in self.artists:
            aid = b62(f"artist:{name}")
            self.artists[name] = {
                "id": aid, "name": name, "type": "artist", "uri": f"spotify:artist:{aid}",
                "genres": GENRES.get(genre or "", [])[: 1 + int(unit(name) * 3)],
                "popularity": 20 + int(unit("pop:" + name) * 70),
                "followers": {"href": None, "total": int(unit("f:" + name) * 5_000_000)},
                "external_urls": {"spotify": f"https://open.spotify.com/artist/{aid}"},
            }
        return self.artists[name]

    def track(self, artists: list[str], name: str, album: str, year: int, genre: str | None, *,
              popularity: int, album_type: str = "album", features: bool = True, variant: str = "") -> str:
        key = f"track:{'/'.join(artists)}:{name}:{album}:{variant}"
        tid = b62(key)
        refs = [{"id": self.artist(a, genre)["id"], "name": a, "type": "artist",
                 "uri": f"spotify:artist:{self.artist(a, genre)['id']}"} for a in artists]
        album_id = b62(f"album:{artists[0]}:{album}")
        duration = 150_000 + int(unit("d:" + key) * 200_000)
        isrc = "".join(B62[int(unit(f"i{i}:{key}") * 26) + 10] for i in range(2)) + \
            "".join(B62[int(unit(f"j{i}:{key}") * 36)].upper() for i in range(3)) + \
            f"{year % 100:02d}" + f"{int(unit('n:' + key) * 100000):05d}"
        self.tracks.append({
            "id": tid, "name": name, "type": "track", "uri": f"spotify:track:{tid}", "is_local": False,
            "popularity": popularity, "explicit": unit("e:" + key) < 0.12, "duration_ms": duration,
            "track_number": 1 + int(unit("t:" + key) * 12), "disc_number": 1,
            "external_ids": {"isrc": isrc},
            "external_urls": {"spotify": f"https://open.spotify.com/track/{tid}"},
            "artists": refs,
            "album": {"id": album_id, "name": album, "album_type": album_type, "release_date": str(year),
                      "release_date_precision": "year", "uri": f"spotify:album:{album_id}", "artists": refs[:1],
                      "images": [{"url": f"https://i.scdn.co/image/ab67616d0000b273{b62('img:' + album_id, 24)}",
                                  "width": 640, "height": 640}],
                      "total_tracks": 8 + int(unit("tt:" + album_id) * 10)},
        })
        if features:
            u = lambda tag: round(unit(f"{tag}:{key}"), 3)  # noqa: E731 - a local shorthand
            self.features[tid] = {
                "id": tid, "type": "audio_features", "danceability": u("da"), "energy": u("en"),
                "valence": u("va"), "tempo": round(60 + unit("te:" + key) * 120, 3),
                "key": int(unit("k:" + key) * 12), "mode": int(unit("m:" + key) * 2),
                "loudness": round(-20 + unit("lo:" + key) * 18, 2), "acousticness": u("ac"),
                "instrumentalness": round(unit("in:" + key) ** 3, 3), "liveness": round(0.03 + u("li") / 3, 3),
                "speechiness": round(0.02 + u("sp") / 4, 3), "time_signature": 4, "duration_ms": duration,
            }
        return tid

    def as_json(self) -> dict[str, Any]:
        return {"tracks": self.tracks, "artists": list(self.artists.values()), "audio_features": self.features}


def build_catalog(songs: list[Song], rng: random.Random) -> Catalog:
    catalog = Catalog()
    for song in songs:
        key = f"{'/'.join(song.artists)}:{song.name}"
        pop = 45 + int(unit("p:" + key) * 45)
        has_features = unit("af:" + key) < 0.9
        single = song.album == song.name
        if song.year < 2000 and unit("rm:" + key) < 0.15:
            # As on Spotify for many older songs: only the remaster is in the catalog.
            year = 2009 + int(unit("ry:" + key) * 12)
            tid = catalog.track(song.artists, f"{song.name} - {year} Remaster", song.album, song.year, song.genre,
                                popularity=pop, features=has_features, variant="remaster-only")
            song.recording = [tid]
        else:
            tid = catalog.track(song.artists, song.name, song.album, song.year, song.genre, popularity=pop,
                                album_type="single" if single else "album", features=has_features)
            song.recording = [tid]
            if song.year < 2005 and unit("rm2:" + key) < 0.3:
                year = 2010 + int(unit("ry2:" + key) * 14)
                song.recording.append(catalog.track(
                    song.artists, f"{song.name} - Remastered {year}", f"{song.artists[0]}: Greatest Hits",
                    year, song.genre, popularity=max(10, pop - 20), album_type="compilation",
                    features=has_features, variant="remaster"))
        song.link_id = song.recording[0]
        if unit("live:" + key) < 0.22:
            venue = VENUES[int(unit("v:" + key) * len(VENUES))]
            song.live_id = catalog.track(song.artists, f"{song.name} - Live at {venue}", f"Live at {venue}",
                                         song.year + 3 + int(unit("ly:" + key) * 15), song.genre,
                                         popularity=max(5, pop - 30), features=has_features, variant="live")
        if unit("karaoke:" + key) < 0.18:
            catalog.track(["Karaoke Hits Band"], f"{song.name} (Originally Performed by {song.artists[0]}) "
                          "[Karaoke Version]", "Karaoke Hits", 2015, None, popularity=20 + int(unit("kp:" + key) * 15),
                          features=unit("kf:" + key) < 0.5, variant="karaoke")
        if unit("tribute:" + key) < 0.10:
            catalog.track(["Tribute Nation"], f"{song.name} (Tribute to {song.artists[0]})",
                          f"A Tribute to {song.artists[0]}", 2018, None, popularity=15, features=False,
                          variant="tribute")
        if unit("cover:" + key) < 0.08:
            catalog.track(["The Cover Collective"], song.name, "Acoustic Covers, Vol. 2", 2021, "folk",
                          popularity=25 + int(unit("cp:" + key) * 20), variant="cover")
        if unit("acoustic:" + key) < 0.05:
            catalog.track(song.artists, f"{song.name} - Acoustic", f"{song.album} (Acoustic Sessions)",
                          song.year + 2, song.genre, popularity=max(5, pop - 25), variant="acoustic")
    return catalog


# --- how people name a song ---------------------------------------------------------------------

_SUFFIX = re.compile(r"\s+-\s+(Radio Edit|Spanish Version|Version Revisited|Live|Spider-Man.*|"
                     r"Cap\.1.*|\d{4} Remaster(ed)?|Remastered \d{4})$")
_FEAT = re.compile(r"\s+\((feat\.|with) [^)]*\)$")


def plain_title(name: str) -> str:
    """The title as a person writes it: no Spotify version suffix or feat. credit."""
    return _FEAT.sub("", _SUFFIX.sub("", name)).strip()


def artist_credit(artists: list[str], rng: random.Random) -> str:
    if len(artists) == 1:
        return artists[0]
    joiner = rng.choice([" feat. ", " ft. ", " & ", " x ", ", ", " and ", " Feat. "])
    return artists[0] + joiner + ", ".join(artists[1:]) if joiner != ", " else ", ".join(artists)


def camel(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", text))


def spotify_url(tid: str, rng: random.Random) -> str:
    si = "".join(rng.choice("0123456789abcdef") for _ in range(16))
    roll = rng.random()
    if roll < 0.2:
        market = rng.choice(["de", "es", "fr", "ja", "pt-BR", "it"])
        return f"https://open.spotify.com/intl-{market}/track/{tid}?si={si}"
    if roll < 0.8:
        return f"https://open.spotify.com/track/{tid}?si={si}"
    return f"https://open.spotify.com/track/{tid}"


def apple_url(song: Song, rng: random.Random) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", plain_title(song.album).lower()).strip("-") or "album"
    return (f"https://music.apple.com/{rng.choice(['us', 'gb', 'de', 'fr', 'jp'])}/album/{slug}/"
            f"{rng.randint(10**8, 10**10)}?i={rng.randint(10**8, 10**10)}")


def youtube_url(rng: random.Random) -> str:
    vid = "".join(rng.choice(B62 + "-_") for _ in range(11))
    return rng.choice([f"https://www.youtube.com/watch?v={vid}", f"https://youtu.be/{vid}",
                       f"https://music.youtube.com/watch?v={vid}&feature=share"])


@dataclass
class Draft:
    text: str
    urls: list[str]
    lang: str | None
    accept: list[str]
    ambiguous: bool = False
    bot: str | None = None  # account kind for bots


def music_post(song: Song, rng: random.Random, by_title: dict[str, list[Song]]) -> Draft:
    title, name = plain_title(song.name), song.name
    credit = artist_credit(song.artists, rng)
    accept = list(song.recording)
    kind = rng.choices(["spotify", "radio", "scrobble", "apple", "youtube", "free", "foreign", "camel", "live"],
                       [17, 13, 10, 5, 7, 30, 11, 4, 3])[0]
    if kind == "live" and not song.live_id:
        kind = "free"
    if kind == "foreign":
        for lang, genres in LANG_GENRES.items():
            if song.genre in genres:
                return foreign_post(lang, title, credit, accept, rng)
        return foreign_post(rng.choice(["es", "de", "fr", "pt", "it"]), title, credit, accept, rng)
    if kind == "spotify":
        tid = song.link_id or accept[0]
        if song.live_id and rng.random() < 0.08:
            tid, accept = song.live_id, [song.live_id]
        url = spotify_url(tid, rng)
        if rng.random() < 0.06:
            return Draft(f"#NowPlaying spotify:track:{tid}", [], "zxx", accept)
        text = rng.choice([
            f"#NowPlaying {name} by {credit} {{url}}",
            f"I'm listening to {name} by {credit} on #Spotify {{url}} #NowPlaying",
            "{url} #NowPlaying",
            f"#NowPlaying {credit} – {title} 🎧 {{url}}",
            f"{title} - {credit} #NowPlaying #Spotify {{url}}",
            f"#nowplaying {title.lower()} by {credit.lower()} {{url}}",
        ])
        return Draft(text, [url], "zxx" if text.startswith("{url}") else "en", accept)
    if kind == "radio":
        station = rng.choice(STATIONS)
        text = rng.choice([
            f"#NowPlaying {credit} - {name} | {station}",
            f"♪ Now on Retro FM: {title.upper()} by {credit.upper()} #nowplaying",
            f"#nowplaying on {station}: {credit} - {title} ({rng.randint(0, 23):02d}:{rng.randint(0, 59):02d})",
            f"{station} ▶ {title} — {credit} #NowPlaying #radio",
            f"Now playing on {station}: “{title}” by {credit} #NowPlaying",
            f"#NowPlaying {title} - {credit} ~ {station} ~ listen live!",
        ])
        return Draft(text, [], "en", accept, bot="radio")
    if kind == "scrobble":
        text = rng.choice([
            f"#np {name} by {credit} ({song.album}) #lastfm #nowplaying",
            f"♫ {credit} – {title} #nowplaying #scrobble",
            f"#NowPlaying {title} - {credit} [{song.album}] via @lastfm",
            f"{credit} - {name} ({song.album}, {song.year}) #NowPlaying #vinyl",
        ])
        return Draft(text, [], "en", accept, bot="scrobbler")
    if kind == "apple":
        url = apple_url(song, rng)
        text = rng.choice([f"#NowPlaying {title} by {credit} on #AppleMusic {{url}}",
                           f"{title} by {credit} {{url}} #NowPlaying",
                           f"Listening to “{title}” by {credit} on Apple Music. {{url}} #nowplaying"])
        return Draft(text, [url], "en", accept)
    if kind == "youtube":
        url = youtube_url(rng)
        video = rng.choice(["(Official Video)", "(Official Music Video)", "[Official Audio]", "(Lyrics)",
                            "(Official HD Video)", "(Visualizer)", ""])
        text = rng.choice([f"{credit} - {title} {video} {{url}} via @YouTube #NowPlaying",
                           f"#NowPlaying {credit} - {title} {video} {{url}}",
                           f"{title} {video} {{url}} #nowplaying"])
        if "{url} #nowplaying" in text and text.startswith(title):
            # Title only: several catalog songs may share it.
            others = [s for s in by_title.get(title.lower(), []) if s is not song]
            return Draft(re.sub(r"\s+", " ", text), [url], "en",
                         accept + [i for s in others for i in s.recording], ambiguous=bool(others))
        return Draft(re.sub(r"\s+", " ", text), [url], "en", accept)
    if kind == "camel" and camel(song.artists[0]) and camel(title):
        text = rng.choice([f"#NowPlaying #{camel(song.artists[0])} - #{camel(title)}",
                           f"#{camel(title)} by #{camel(song.artists[0])} #nowplaying 🤘"])
        return Draft(text, [], "en", accept)
    if kind == "live":
        text = rng.choice([f"#NowPlaying {credit} - {title} (Live) 🔥 best live version ever",
                           f"#NowPlaying {title} by {credit}, the live one. goosebumps"])
        return Draft(text, [], "en", [song.live_id] if song.live_id else accept)
    # People writing freely
    t, c = title, credit
    if rng.random() < 0.12:
        t, c = t.lower(), c.lower()
    text = rng.choice([
        f"#NowPlaying {c} - {t}", f"#NowPlaying {c} - {t}", f"{t} - {c} #NowPlaying",
        f"#NowPlaying {t} by {c}", f'#NowPlaying "{t}" by {c}', f"#NowPlaying {c}'s {t} 😍",
        f"listening to {t} by {c} on repeat #NowPlaying", f"#NowPlaying {c} — {t}. what a tune",
        f"#NowPlaying: {t} ~ {c}", f"{c} / {t} #nowplaying", f"#NowPlaying {t} ({c}) on vinyl 📀",
        f"#NowPlaying\n{c} - {t}\n\ngood morning everyone ☀️", f"{t} by {c} is such a vibe #nowplaying ✨",
        f"#NowPlaying {c} — «{t}»", f"#NowPlaying {c}: {t} #music", f"#NowPlaying {t}, {c}",
    ])
    return Draft(text, [], "en", accept)


def foreign_post(lang: str, title: str, credit: str, accept: list[str], rng: random.Random) -> Draft:
    templates = {
        "es": [f"Escuchando {title} de {credit} 🎶 #NowPlaying", f"#NowPlaying {title} - {credit}, temazo 🔥",
               f"Sonando ahora: {credit} - {title} #NowPlaying", f"#NowPlaying «{title}» de {credit} ❤️"],
        "de": [f"Ich höre gerade {title} von {credit} #NowPlaying",
               f"#NowPlaying {credit} mit {title} – Ohrwurm des Tages",
               f"Läuft bei mir: {title} von {credit} #nowplaying", f"#NowPlaying {credit} – „{title}“"],
        "fr": [f"J'écoute {title} par {credit} #NowPlaying", f"#NowPlaying {title} de {credit} ♥",
               f"En ce moment : {credit} - {title} #NowPlaying", f"#NowPlaying « {title} » de {credit}"],
        "ja": [f"#NowPlaying {title} / {credit}", f"{credit}の「{title}」を聴いてる #nowplaying",
               f"#NowPlaying {title} - {credit} 最高", f"いま聴いてる：{title}（{credit}）#NowPlaying"],
        "ko": [f"#NowPlaying {credit} - {title} 🎧 지금 듣는 중", f"{credit}의 {title} 듣는 중 #NowPlaying",
               f"#NowPlaying {title} / {credit} 좋다"],
        "ru": [f"#NowPlaying Сейчас играет: {credit} — {title}", f"Слушаю {credit} - «{title}» #NowPlaying",
               f"#nowplaying {credit} – {title}. Классика!"],
        "ar": [f"#NowPlaying أستمع الآن إلى {title} - {credit}", f"🎧 {credit} | {title} #NowPlaying",
               f"#NowPlaying {title} لـ {credit} 🎶"],
        "it": [f"#NowPlaying Sto ascoltando {title} di {credit}", f"#NowPlaying {credit} - {title}, che canzone!"],
        "pt": [f"#NowPlaying Ouvindo {title} de {credit}", f"Tocando agora: {credit} - {title} #NowPlaying"],
    }
    return Draft(rng.choice(templates[lang]), [], lang, accept)


def not_in_catalog_post(rng: random.Random) -> Draft:
    artist, title = rng.choice(NOT_IN_CATALOG)
    text = rng.choice([f"#NowPlaying {artist} - {title}", f"#NowPlaying {title} by {artist}",
                       f"{title} - {artist} #nowplaying"])
    return Draft(text, [], "en", [])


def title_only_post(song: Song, rng: random.Random, by_title: dict[str, list[Song]]) -> Draft:
    title = plain_title(song.name)
    same = by_title.get(title.lower(), [song])
    text = rng.choice([f"#NowPlaying {title}", f"#NowPlaying {title} 🙏", f"{title} #nowplaying on repeat"])
    return Draft(text, [], "en", [i for s in same for i in s.recording], ambiguous=len(same) > 1)


def non_music_post(rng: random.Random) -> Draft:
    kind, text = rng.choice(NON_MUSIC)
    lang = "qht" if text.strip().lower() == "#nowplaying" else ("und" if kind == "empty" else "en")
    if any(w in text for w in ("auf Deutsch", "Ruhe")):
        lang = "de"
    elif "fenêtre" in text:
        lang = "fr"
    elif "完結編" in text:
        lang = "ja"
    elif "álbum" in text or "Casa de Papel" in text or "Clásico" in text:
        lang = "es"
    return Draft(text, [], lang, [], bot="spam" if kind == "spam" else None)


# --- people -------------------------------------------------------------------------------------

FIRST = ["maria", "lukas", "yuki", "sofia", "ahmed", "chloe", "minjun", "olga", "diego", "emma", "kofi", "ines",
         "jonas", "aiko", "leila", "tom", "nina", "raj", "fatima", "pierre", "sam", "ana", "ivan", "mei", "jake",
         "zoe", "omar", "lena", "carlos", "hana"]
TAIL = ["", "_k", "92", "_music", "vinyl", "_dj", "x", "_88", "listens", "_fm", "beats", "_", "2001", "oo"]


def make_users(rng: random.Random, n: int) -> list[dict[str, Any]]:
    users, seen = [], set()
    bots = [("RetroFM_bot", "Retro FM Now Playing", "radio"), ("KEXPPlaylist", "KEXP Playlist", "radio"),
            ("RockAntenneNP", "ROCK ANTENNE", "radio"), ("Los40_suena", "LOS40 Suena", "radio"),
            ("lastfm_np", "my scrobbles", "scrobbler"), ("scrobble_daily", "Daily Scrobbles", "scrobbler"),
            ("HitsPromo247", "🔥 HITS PROMO 🔥", "spam"), ("followme_music", "Music Promo", "spam")]
    for username, name, kind in bots:
        users.append({"username": username, "name": name, "kind": kind})
        seen.add(username)
    while len(users) < n:
        username = rng.choice(FIRST) + rng.choice(TAIL) + (str(rng.randint(1, 99)) if rng.random() < 0.3 else "")
        if username not in seen:
            seen.add(username)
            users.append({"username": username, "name": username.split("_")[0].title(), "kind": "person"})
    return users


# --- rendering the APIs' shapes -----------------------------------------------------------------

_TOKEN = re.compile(r"(https?://\S+|spotify:track:\w+|#\w+|@\w+(?:@[\w.]+)?)")


def x_tweet(tid: str, created: datetime, draft: Draft, author_id: str, rng: random.Random) -> dict[str, Any]:
    """An X API v2 Tweet: URLs replaced by t.co links, entities with offsets, text HTML-escaped."""
    text = draft.text.replace("{url}", "\x00")
    urls = list(draft.urls)
    out, entities_urls, hashtags, mentions = "", [], [], []
    for part in re.split(r"(\x00)", text):
        if part == "\x00":
            target = urls.pop(0)
            tco = "https://t.co/" + "".join(rng.choice(B62) for _ in range(10))
            display = re.sub(r"^https?://(www\.)?", "", target)
            entities_urls.append({"start": len(out), "end": len(out) + len(tco), "url": tco, "expanded_url": target,
                                  "display_url": display[:26] + ("…" if len(display) > 26 else "")})
            out += tco
        else:
            out += part
    for match in re.finditer(r"#(\w+)", out):
        hashtags.append({"start": match.start(), "end": match.end(), "tag": match.group(1)})
    for match in re.finditer(r"(?<!\w)@(\w+)", out):
        mentions.append({"start": match.start(), "end": match.end(), "username": match.group(1),
                         "id": str(10**9 + int(unit("u:" + match.group(1)) * 10**9))})
    entities: dict[str, Any] = {}
    if entities_urls:
        entities["urls"] = entities_urls
    if hashtags:
        entities["hashtags"] = hashtags
    if mentions:
        entities["mentions"] = mentions
    escaped = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    tweet = {"id": tid, "text": escaped, "edit_history_tweet_ids": [tid], "author_id": author_id,
             "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "lang": draft.lang or "und",
             "possibly_sensitive": False, "conversation_id": tid,
             "public_metrics": {"retweet_count": int(rng.random() ** 6 * 40), "reply_count": int(rng.random() ** 6 * 9),
                                "like_count": int(rng.random() ** 4 * 120), "quote_count": 0,
                                "bookmark_count": 0, "impression_count": rng.randint(3, 4000)}}
    if entities:
        tweet["entities"] = entities
    return tweet


def _h(text: str) -> str:
    """Ruby's ERB::Util.h, which Mastodon uses: & < > " ' escaped."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def mastodon_link(url: str) -> str:
    """Mastodon's TextFormatter#link_to_url: scheme (+www.) invisible, 30 visible chars, rest invisible."""
    prefix = re.match(r"^(https?://(www\.)?|xmpp:)", url)
    prefix_text = prefix.group(0) if prefix else ""
    rest = url[len(prefix_text):]
    display, suffix = rest[:30], rest[30:]
    return (f'<a href="{_h(url)}" target="_blank" rel="nofollow noopener noreferrer" translate="no">'
            f'<span class="invisible">{_h(prefix_text)}</span><span class="{"ellipsis" if suffix else ""}">'
            f'{_h(display)}</span><span class="invisible">{_h(suffix)}</span></a>')


def mastodon_content(text: str, domain: str) -> tuple[str, list[dict[str, str]], list[dict[str, str]]]:
    """Plain text -> (content HTML, tags, mentions) as Mastodon renders a local post."""
    tags: dict[str, dict[str, str]] = {}
    mentions: list[dict[str, str]] = []
    paragraphs = []
    for para in re.split(r"\n{2,}", text.strip()):
        lines = []
        for line in para.split("\n"):
            pieces = []
            for part in _TOKEN.split(line):
                if not part:
                    continue
                if re.match(r"^https?://", part):
                    pieces.append(mastodon_link(part))
                elif part.startswith("#") and len(part) > 1:
                    tag = part[1:]
                    tags.setdefault(tag.lower(), {"name": tag.lower(), "url": f"https://{domain}/tags/{tag.lower()}"})
                    pieces.append(f'<a href="https://{domain}/tags/{_h(tag)}" class="mention hashtag" rel="tag">'
                                  f"#<span>{_h(tag)}</span></a>")
                elif part.startswith("@") and len(part) > 1:
                    user, _, host = part[1:].partition("@")
                    host = host or domain
                    url = f"https://{host}/@{user}"
                    mentions.append({"id": str(10**17 + int(unit(part) * 10**17)), "username": user,
                                     "url": url, "acct": user if host == domain else f"{user}@{host}"})
                    pieces.append(f'<span class="h-card" translate="no"><a href="{_h(url)}" class="u-url mention">'
                                  f"@<span>{_h(user)}</span></a></span>")
                else:
                    pieces.append(_h(part))
            lines.append("".join(pieces))
        paragraphs.append("<p>" + "<br />".join(lines) + "</p>")
    return "".join(paragraphs), list(tags.values()), mentions


def mastodon_status(sid: str, created: datetime, draft: Draft, user: dict[str, Any], domain: str,
                    rng: random.Random) -> dict[str, Any]:
    text = draft.text
    for url in draft.urls:
        text = text.replace("{url}", url, 1)
    if user["kind"] == "person" and rng.random() < 0.05:
        friend = rng.choice(FIRST) + rng.choice(["", "@fosstodon.org", "@mas.to"])
        text += f"\n\nthanks @{friend} for the rec!"
    content, tags, mentions = mastodon_content(text, domain)
    local = domain == LOCAL
    remote_id = sid if local else str(int(sid) + int(unit("r:" + sid) * 10**9))
    username = user["username"].lower()
    acct = username if local else f"{username}@{domain}"
    account_id = str(10**17 + int(unit("acct:" + acct) * 10**17))
    return {
        "id": sid, "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "in_reply_to_id": None,
        "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "", "visibility": "public",
        "language": draft.lang if draft.lang not in ("zxx", "qht", "und") and rng.random() > 0.1 else None,
        "uri": f"https://{domain}/users/{username}/statuses/{remote_id}",
        "url": f"https://{domain}/@{username}/{remote_id}",
        "replies_count": 0, "reblogs_count": int(rng.random() ** 5 * 10),
        "favourites_count": int(rng.random() ** 3 * 30),
        "edited_at": None, "content": content, "reblog": None,
        **({"application": {"name": "Web", "website": None}} if local else {}),
        "account": {
            "id": account_id, "username": username, "acct": acct, "display_name": user["name"], "locked": False,
            "bot": user["kind"] != "person", "discoverable": True, "group": False,
            "created_at": f"2022-11-0{1 + int(unit(acct) * 8)}T00:00:00.000Z", "note": "",
            "url": f"https://{domain}/@{username}", "uri": f"https://{domain}/users/{username}",
            "avatar": f"https://files.{LOCAL}/accounts/avatars/{account_id}/original.png",
            "followers_count": int(unit("fc:" + acct) * 900), "following_count": int(unit("fg:" + acct) * 400),
            "statuses_count": 10 + int(unit("sc:" + acct) * 5000), "emojis": [], "fields": [],
        },
        "media_attachments": [], "mentions": mentions, "tags": tags, "emojis": [], "card": None, "poll": None,
    }


# --- the whole set ------------------------------------------------------------------------------


def timestamps(rng: random.Random, n: int) -> list[datetime]:
    """n moments between START and END, denser in the evening (UTC) like real listening."""
    span = (END - START).total_seconds()
    out = []
    while len(out) < n:
        moment = START + timedelta(seconds=rng.random() * span)
        hour_weight = 0.35 + 0.65 * (1 + math.sin((moment.hour - 14) / 24 * math.tau)) / 2
        if rng.random() < hour_weight:
            out.append(moment.replace(microsecond=0))
    return sorted(out)


def generate(out_dir: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    songs = load_songs()
    catalog = build_catalog(songs, rng)
    by_title: dict[str, list[Song]] = {}
    for song in songs:
        by_title.setdefault(plain_title(song.name).lower(), []).append(song)

    total = N_X + N_MASTODON
    # Every song at least once, then a long tail weighted towards popular ones.
    weights = [1 / (1 + i) ** 0.6 for i in range(len(songs))]
    order = songs[:]
    rng.shuffle(order)
    queue = list(order)
    drafts: list[Draft] = []
    for _ in range(total):
        roll = rng.random()
        if roll < 0.12:
            drafts.append(non_music_post(rng))
        elif roll < 0.135:
            drafts.append(not_in_catalog_post(rng))
        elif roll < 0.145:
            drafts.append(title_only_post(rng.choice(songs), rng, by_title))
        else:
            song = queue.pop() if queue else rng.choices(order, weights)[0]
            drafts.append(music_post(song, rng, by_title))
    rng.shuffle(drafts)

    moments = timestamps(rng, total)
    sources = ["x"] * N_X + ["mastodon"] * N_MASTODON
    rng.shuffle(sources)
    x_people, m_people = make_users(rng, 260), make_users(rng, 220)
    x_users = {u["username"]: {"id": str(10**9 + int(unit("xu:" + u["username"]) * 9 * 10**17)),
                               "name": u["name"], "username": u["username"]} for u in x_people}
    tweets, statuses, labels = [], [], {}
    for seq, (moment, source, draft) in enumerate(zip(moments, sources, drafts, strict=True), 1):
        ms = int(moment.timestamp() * 1000) + seq % 1000
        people = x_people if source == "x" else m_people
        pool = [u for u in people if u["kind"] == (draft.bot or "person")] or people
        user = rng.choice(pool)
        if source == "x":
            pid = str(((ms - X_EPOCH_MS) << 22) | (seq % 4096))
            tweets.append(x_tweet(pid, moment, draft, x_users[user["username"]]["id"], rng))
        else:
            pid = str((ms << 16) | (seq % 65536))
            domain = rng.choice(MASTODON_DOMAINS) if draft.bot is None else LOCAL
            statuses.append(mastodon_status(pid, moment, draft, user, domain, rng))
        labels[pid] = {"accept": sorted(set(draft.accept)), "ambiguous": draft.ambiguous}

    out_dir = Path(out_dir)
    for sub in ("x", "mastodon", "spotify"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    used = {u for t in tweets for u in [t["author_id"]]}
    _write_jsonl(out_dir / "x" / "tweets.jsonl", tweets)
    _write_jsonl(out_dir / "x" / "users.jsonl", [u for u in x_users.values() if u["id"] in used])
    _write_jsonl(out_dir / "mastodon" / "statuses.jsonl", statuses)
    (out_dir / "spotify" / "catalog.json").write_text(json.dumps(catalog.as_json(), ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
    (out_dir / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                         encoding="utf-8")
    accepted = {i for v in labels.values() for i in v["accept"]}
    return {"tweets": len(tweets), "statuses": len(statuses), "tracks": len(catalog.tracks),
            "songs": len(songs), "tracks_labelled": len(accepted),
            "no_track_posts": sum(1 for v in labels.values() if not v["accept"])}


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    from nowplaying.emulator import DEMO_FIXTURES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEMO_FIXTURES)
    args = parser.parse_args()
    print(json.dumps(generate(args.out)))


if __name__ == "__main__":
    main()
