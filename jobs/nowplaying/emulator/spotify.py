"""Emulated Spotify: the accounts service (client credentials) and the Web API endpoints we call.

Shapes follow the real services: token responses and OAuth error bodies from accounts.spotify.com,
`{"error": {"status", "message"}}` from api.spotify.com, paging objects on search, `null` for unknown
ids in multi-get responses, 403 on audio features (apps registered after 2024-11-27) unless
`Faults.audio_features` is on.

Search ranks like Spotify does in practice: every query term must match a word of the track, its
artists or its album (prefix matches and one-letter typos count, accents and case do not), field
filters (track:, artist:, album:, year:) restrict, and popularity breaks ties. When no track matches
every free-text term, Spotify still answers with partial matches, and so do we: that leniency is what
makes the naive "take the first hit" method claim wrong tracks.

Fault knobs read from `Faults.extra` (tests set them between requests):
- "token_ttl": seconds a new access token lives (default 3600); "token_real_ttl": a shorter real life than
  announced, so a client meets "The access token expired" and must refresh on 401;
- "spotify_script": a list of fault kinds ("429", "503", "slow", "malformed") consumed one per request;
- "search_max_limit": the largest accepted `limit` (50; 10 for development-mode apps since 2026-02);
- "clients": {client_id: secret} to accept (default: any non-empty pair);
- "no_multi_get": answer 403 on GET /v1/tracks?ids= and /v1/artists?ids= (development-mode apps, 2026);
- "search_strict": exact words only and every free-text word required (a stricter search engine).
"""

from __future__ import annotations

import base64
import json
import random
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, jsonify, request

blueprint = Blueprint("spotify", __name__)

_ID_RE = re.compile(r"^[0-9A-Za-z]{22}$")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: what Spotify's matcher ignores."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).casefold()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(fold(text).replace("'", "").replace("\u2019", ""))


@dataclass
class Catalog:
    tracks: dict[str, dict[str, Any]] = field(default_factory=dict)
    artists: dict[str, dict[str, Any]] = field(default_factory=dict)
    features: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Per track: (name words, artist words, album words, year)
    index: dict[str, tuple[list[str], list[str], list[str], int | None]] = field(default_factory=dict)
    # Inverted index per field: word -> track ids; the vocabulary for prefix and typo matching.
    postings: dict[str, dict[str, set[str]]] = field(default_factory=lambda: {"track": {}, "artist": {}, "album": {}})
    vocabulary: list[str] = field(default_factory=list)
    matches_memo: dict[str, dict[str, float]] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)  # issued token -> expiry (epoch seconds)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=lambda: random.Random(7))


def load(fixtures: Path) -> Catalog:
    catalog = Catalog()
    path = Path(fixtures) / "spotify" / "catalog.json"
    if not path.exists():
        return catalog
    data = json.loads(path.read_text(encoding="utf-8"))
    for track in data.get("tracks", []):
        catalog.tracks[track["id"]] = track
        album = track.get("album") or {}
        year = None
        if album.get("release_date", "")[:4].isdigit():
            year = int(album["release_date"][:4])
        catalog.index[track["id"]] = (
            words(track.get("name", "")),
            [w for a in track.get("artists", []) for w in words(a.get("name", ""))],
            words(album.get("name", "")),
            year,
        )
    for track_id, (name, artists, album, _) in catalog.index.items():
        for field_name, field_words in (("track", name), ("artist", artists), ("album", album)):
            for word in field_words:
                catalog.postings[field_name].setdefault(word, set()).add(track_id)
    catalog.vocabulary = sorted({w for p in catalog.postings.values() for w in p})
    for artist in data.get("artists", []):
        catalog.artists[artist["id"]] = artist
    features = data.get("audio_features", {})
    if isinstance(features, dict):
        features = list(features.values())
    for item in features:
        if item and item.get("id"):
            catalog.features[item["id"]] = item
    return catalog


def _catalog() -> Catalog:
    return current_app.extensions["emulator"]["spotify"]


def _faults() -> Any:
    return current_app.config["FAULTS"]


def api_error(status: int, message: str, **headers: str) -> Response:
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    for key, value in headers.items():
        response.headers[key.replace("_", "-")] = value
    return response


def inject_fault(api: str, rng: random.Random) -> Response | None:
    """Apply a scripted or random fault for this request, or return None to answer normally.

    Shared with the ReccoBeats blueprint. A request is only ever faulted once, even if the app-level
    hook applies faults too (flask.g marks it).
    """
    faults = _faults()
    if getattr(g, "np_fault_checked", False):
        return None
    g.np_fault_checked = True
    only = faults.extra.get("only")
    if only and only != api:
        return None
    kind = None
    script = faults.extra.get(f"{api}_script")
    if script:
        kind = script.pop(0)
    elif faults.rate > 0 and "emulator_faults" not in current_app.extensions:
        # Random faults only when the app has no app-wide injector of its own (it draws for every API).
        with _catalog().lock:
            if rng.random() < faults.rate:
                kind = rng.choice(list(faults.kinds))
    if kind is None:
        return None
    if kind == "429":
        return api_error(429, "API rate limit exceeded", Retry_After=str(int(faults.retry_after)))
    if kind == "503":
        return api_error(503, "Service unavailable")
    if kind == "500":
        return api_error(500, "Server error")
    if kind == "slow":
        time.sleep(faults.slow_seconds)
        return None
    if kind == "malformed":
        return Response('{"tracks": {"items": [', status=200, mimetype="application/json")
    return None


# --- accounts service -------------------------------------------------------------------------


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    return response


@blueprint.post("/api/token")
def token() -> Response:
    fault = inject_fault("spotify", _catalog().rng)
    if fault is not None:
        return fault
    client_id, client_secret = None, None
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Basic "):
        try:
            raw = base64.b64decode(auth[6:], validate=True).decode("utf-8")
            client_id, _, client_secret = raw.partition(":")
        except (ValueError, UnicodeDecodeError):
            return _oauth_error("invalid_client", "Invalid client")
    else:
        client_id = request.form.get("client_id")
        client_secret = request.form.get("client_secret")
    grant = request.form.get("grant_type")
    if not grant:
        return _oauth_error("unsupported_grant_type", "grant_type parameter is missing")
    if grant != "client_credentials":
        return _oauth_error("unsupported_grant_type", "grant_type must be client_credentials, "
                            "authorization_code or refresh_token")
    if not client_id:
        return _oauth_error("invalid_client", "Invalid client")
    allowed = _faults().extra.get("clients")
    if not client_secret or (allowed is not None and allowed.get(client_id) != client_secret):
        return _oauth_error("invalid_client", "Invalid client secret" if client_secret else "Invalid client")
    ttl = int(_faults().extra.get("token_ttl", 3600))
    # A token may die before its announced expiry (revoked, clock skew): only a 401 tells the client.
    real_ttl = float(_faults().extra.get("token_real_ttl", ttl))
    value = secrets.token_urlsafe(32)
    catalog = _catalog()
    with catalog.lock:
        catalog.tokens[value] = time.time() + real_ttl
    return jsonify({"access_token": value, "token_type": "Bearer", "expires_in": ttl})


# --- Web API ------------------------------------------------------------------------------------


def _authorise() -> Response | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return api_error(401, "No token provided")
    if not header.startswith("Bearer "):
        return api_error(400, "Only valid bearer authentication supported")
    catalog = _catalog()
    expiry = catalog.tokens.get(header[7:].strip())
    if expiry is None:
        return api_error(401, "Invalid access token")
    if expiry < time.time():
        return api_error(401, "The access token expired")
    return None


@blueprint.before_request
def _guard() -> Response | None:
    if request.path == "/api/token" or not request.path.startswith("/v1/"):
        return None
    fault = inject_fault("spotify", _catalog().rng)
    if fault is not None:
        return fault
    return _authorise()


def _ids_param(maximum: int) -> list[str] | Response:
    raw = request.args.get("ids")
    if raw is None or not raw.strip():
        return api_error(400, "invalid id")
    ids = [part.strip() for part in raw.split(",")]
    if len(ids) > maximum:
        return api_error(400, "Too many ids requested")
    if any(not _ID_RE.match(i) for i in ids):
        return api_error(400, "invalid id")
    return ids


def _several(kind: str) -> Response:
    """GET /v1/{tracks,artists}?ids=: up to 50 ids, null for unknown ones (the real multi-get)."""
    if _faults().extra.get("no_multi_get"):
        return api_error(403, "Forbidden")
    ids = _ids_param(50)
    if isinstance(ids, Response):
        return ids
    objects = getattr(_catalog(), kind)
    return jsonify({kind: [objects.get(i) for i in ids]})


def _one(kind: str, item_id: str) -> Response:
    """GET /v1/{tracks,artists}/{id}: the object, or Spotify's 404 body."""
    if not _ID_RE.match(item_id):
        return api_error(400, "invalid id")
    item = getattr(_catalog(), kind).get(item_id)
    if item is None:
        return api_error(404, "Resource not found")
    return jsonify(item)


@blueprint.get("/v1/tracks")
def several_tracks() -> Response:
    return _several("tracks")


@blueprint.get("/v1/tracks/<track_id>")
def one_track(track_id: str) -> Response:
    return _one("tracks", track_id)


@blueprint.get("/v1/artists")
def several_artists() -> Response:
    return _several("artists")


@blueprint.get("/v1/artists/<artist_id>")
def one_artist(artist_id: str) -> Response:
    return _one("artists", artist_id)


@blueprint.get("/v1/audio-features")
def several_audio_features() -> Response:
    if not _faults().audio_features:
        # What Spotify answers apps registered on or after 2024-11-27.
        return api_error(403, "Forbidden")
    ids = _ids_param(100)
    if isinstance(ids, Response):
        return ids
    catalog = _catalog()
    return jsonify({"audio_features": [catalog.features.get(i) for i in ids]})


# --- search -------------------------------------------------------------------------------------

_FILTER_RE = re.compile(r'(?P<field>track|artist|album|year|isrc|genre):(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))',
                        re.IGNORECASE)


@dataclass
class Query:
    free: list[str]
    fields: dict[str, list[str]]
    year: tuple[int, int] | None = None
    excluded: list[str] = field(default_factory=list)


def parse_query(q: str) -> Query:
    fields: dict[str, list[str]] = {}
    year = None

    def take(match: re.Match[str]) -> str:
        nonlocal year
        name = match.group("field").lower()
        value = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
        if name == "year":
            bounds = re.findall(r"\d{4}", value)
            if bounds:
                year = (int(bounds[0]), int(bounds[-1]))
        else:
            fields.setdefault(name, []).extend(words(value))
        return " "
    rest = _FILTER_RE.sub(take, q)
    excluded: list[str] = []
    free: list[str] = []
    for raw in rest.replace('"', " ").split():
        if raw in ("OR", "AND"):
            continue
        if raw.startswith("-") or raw == "NOT":
            excluded.extend(words(raw))
            continue
        free.extend(words(raw))
    return Query(free=free, fields=fields, year=year, excluded=excluded)


def _close(a: str, b: str) -> bool:
    """One edit apart (substitution, insertion or deletion), for words of five letters or more."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def term_matches(term: str, catalog: Catalog) -> dict[str, float]:
    """Vocabulary words a query term matches: 1 exact, 0.8 as a prefix (partial word), 0.6 one typo away."""
    memo = catalog.matches_memo.get(term)
    if memo is not None:
        return memo
    out: dict[str, float] = {}
    for word in catalog.vocabulary:
        if word == term:
            out[word] = 1.0
        elif len(term) >= 2 and word.startswith(term):
            out[word] = 0.8
        elif _close(term, word):
            out[word] = 0.6
    if len(catalog.matches_memo) < 100_000:
        catalog.matches_memo[term] = out
    return out


def _matches(term: str, catalog: Catalog, strict: bool) -> dict[str, float]:
    return {term: 1.0} if strict else term_matches(term, catalog)


def _field_hits(matches: dict[str, float], postings: dict[str, set[str]]) -> dict[str, float]:
    hits: dict[str, float] = {}
    for word, s in matches.items():
        for track_id in postings.get(word, ()):
            if hits.get(track_id, 0.0) < s:
                hits[track_id] = s
    return hits


def rank(catalog: Catalog, query: Query, *, strict: bool = False) -> list[str]:
    """Track ids, best first. Filters are strict; free-text terms rank full matches first and then,
    like Spotify, tracks matching only some of the words. `strict`: exact words, all of them."""
    allowed: set[str] | None = None
    for field_name in ("track", "artist", "album"):
        for term in query.fields.get(field_name, []):
            ids = set(_field_hits(_matches(term, catalog, strict), catalog.postings[field_name]))
            allowed = ids if allowed is None else allowed & ids
    if query.year:
        in_years = {t for t, entry in catalog.index.items()
                    if entry[3] is not None and query.year[0] <= entry[3] <= query.year[1]}
        allowed = in_years if allowed is None else allowed & in_years
    excluded: set[str] = set()
    for term in query.excluded:
        for postings in catalog.postings.values():
            excluded |= postings.get(term, set())
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for term in query.free:
        matches = _matches(term, catalog, strict)
        name = _field_hits(matches, catalog.postings["track"])
        artist = _field_hits(matches, catalog.postings["artist"])
        album = _field_hits(matches, catalog.postings["album"])
        for track_id in set(name) | set(artist) | set(album):
            # Title and artist words weigh more than album words, as on Spotify.
            s = max(name.get(track_id, 0.0), artist.get(track_id, 0.0), 0.7 * album.get(track_id, 0.0))
            totals[track_id] = totals.get(track_id, 0.0) + s
            counts[track_id] = counts.get(track_id, 0) + 1
    pool = set(totals) if query.free else set(allowed or ())
    if query.free and allowed is not None:
        pool &= allowed
    pool -= excluded
    scored = []
    n = max(1, len(query.free))
    for track_id in pool:
        coverage = counts.get(track_id, 0) / n
        if strict and query.free and coverage < 1.0:
            continue
        s = totals.get(track_id, 0.0) / n if query.free else 1.0
        name_words = catalog.index[track_id][0]
        if query.free and name_words:
            # A title made only of the query's words is a better answer than one with extra words.
            s -= 0.05 * len([w for w in name_words if w not in query.free]) / len(name_words)
        popularity = catalog.tracks[track_id].get("popularity") or 0
        scored.append((-(coverage == 1.0), -coverage, -round(s, 3), -popularity, track_id))
    scored.sort()
    return [row[-1] for row in scored]


@blueprint.get("/v1/search")
def search() -> Response:
    q = request.args.get("q", "")
    kinds = request.args.get("type", "")
    if not q.strip():
        return api_error(400, "No search query")
    if not kinds:
        return api_error(400, "Missing parameter type")
    allowed_types = {"album", "artist", "playlist", "track", "show", "episode", "audiobook"}
    types = [t.strip() for t in kinds.split(",")]
    if any(t not in allowed_types for t in types):
        return api_error(400, "Bad search type field")
    max_limit = int(_faults().extra.get("search_max_limit", 50))
    try:
        limit = int(request.args.get("limit", 20))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        return api_error(400, "Invalid limit")
    if not 0 <= limit <= max_limit:
        return api_error(400, "Invalid limit")
    if not 0 <= offset <= 1000:
        return api_error(400, "Invalid offset")
    body: dict[str, Any] = {}
    if "track" in types:
        catalog = _catalog()
        query = parse_query(q)
        ranked = rank(catalog, query, strict=bool(_faults().extra.get("search_strict")))
        total = len(ranked)
        page = [catalog.tracks[t] for t in ranked[offset:offset + limit]]
        body["tracks"] = _paging("tracks", page, limit, offset, total)
    for other in types:
        if other != "track":
            body[other + "s"] = _paging(other + "s", [], limit, offset, 0)
    return jsonify(body)


def _paging(kind: str, items: list[Any], limit: int, offset: int, total: int) -> dict[str, Any]:
    base = request.base_url

    def link(new_offset: int) -> str:
        params = dict(request.args)
        params.update(offset=str(new_offset), limit=str(limit))
        return f"{base}?{urlencode(params)}"
    return {
        "href": link(offset),
        "items": items,
        "limit": limit,
        "next": link(offset + limit) if offset + limit < total else None,
        "offset": offset,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }

