"""Names posts use for artists that no similarity score can tell: nicknames ("Drizzy", "Queen Bey"), initials
("RHCP", "CCR") and the native-script names of artists the catalog lists in Latin letters ("아이유" for IU).

Written from general knowledge of how fans post, not from any labelled set; extend it with the names your
posts use. A nickname that is also another artist's name ("Ye", "Prince", "The Boss") is left out: a wrong
track is worse than none.
"""

from __future__ import annotations

from functools import lru_cache

_CANONICAL: dict[str, tuple[str, ...]] = {
    "Beyoncé": ("queen bey", "queen b", "bey", "beyonce knowles"),
    "Drake": ("drizzy", "champagne papi"),
    "Rihanna": ("riri", "bad gal riri"),
    "Michael Jackson": ("mj", "king of pop", "the king of pop"),
    "JAY-Z": ("hov", "hova", "jigga"),
    "Eminem": ("slim shady", "marshall mathers"),
    "Paul McCartney": ("macca",),
    "Taylor Swift": ("tswift", "t swift", "tay tay"),
    "Guns N' Roses": ("gnr", "gunners", "guns and roses", "guns n roses"),
    "Red Hot Chili Peppers": ("rhcp", "chili peppers", "red hot chilli peppers", "the chili peppers"),
    "Led Zeppelin": ("zep", "led zep", "zeppelin"),
    "Pink Floyd": ("floyd",),
    "The Rolling Stones": ("stones", "the stones"),
    "The Notorious B.I.G.": ("biggie", "biggie smalls", "notorious big"),
    "2Pac": ("tupac", "tupac shakur", "makaveli"),
    "Snoop Dogg": ("snoop", "snoop doggy dogg"),
    "Lil Wayne": ("weezy",),
    "Nicki Minaj": ("nicki",),
    "Lady Gaga": ("gaga", "mother monster"),
    "Creedence Clearwater Revival": ("ccr", "creedence"),
    "Electric Light Orchestra": ("elo",),
    "System Of A Down": ("soad",),
    "My Chemical Romance": ("mcr",),
    "Kanye West": ("yeezy",),
    "Jennifer Lopez": ("jlo", "j lo"),
    "Christina Aguilera": ("xtina",),
    "Khaled": ("cheb khaled",),
    "GIMS": ("maitre gims",),
    "Kino": ("viktor tsoi", "viktor tsoy", "tsoi"),
    "BTS": ("bangtan", "bangtan boys", "방탄소년단"),
    "BLACKPINK": ("블랙핑크",),
    "IU": ("아이유",),
    "TWICE": ("트와이스",),
    "Kenshi Yonezu": ("米津玄師",),
    "Hikaru Utada": ("宇多田ヒカル",),
    "Jay Chou": ("周杰伦", "周杰倫"),
    "Teresa Teng": ("邓丽君", "鄧麗君"),
    "Amr Diab": ("عمرو دياب",),
}


# Songs posts name by another title than Spotify's: a translation, a romanisation, the native script.
# (artist as Spotify names them, title as Spotify names it) -> the other titles.
_TITLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("BTS", "봄날"): ("spring day", "bomnal"),
    ("Kenshi Yonezu", "Lemon"): ("レモン",),
    ("Teresa Teng", "月亮代表我的心"): ("the moon represents my heart", "yue liang dai biao wo de xin"),
}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Matching form -> the catalog's name (built on first use: `text`, which `normalize`s, imports this module)."""
    from nowplaying.text import normalize

    return {normalize(nick): name for name, nicks in _CANONICAL.items() for nick in nicks}


def canonical_artist(name: str) -> str | None:
    """The catalog's name for an artist a post calls `name`, when that is a known nickname."""
    from nowplaying.text import normalize

    return _aliases().get(normalize(name))


@lru_cache(maxsize=1)
def _title_aliases() -> dict[str, list[tuple[str, str]]]:
    from nowplaying.text import normalize

    out: dict[str, list[tuple[str, str]]] = {}
    for (artist, title), others in _TITLES.items():
        for other in others:
            out.setdefault(normalize(other), []).append((artist, title))
    return out


def canonical_titles(title: str) -> list[tuple[str, str]]:
    """(artist, title) as Spotify names them, for a song a post calls `title` in another language or script."""
    from nowplaying.text import normalize

    return _title_aliases().get(normalize(title), [])
