"""Second, independent implementations of the X, Mastodon and Spotify APIs, written from the public API
references with the standard library only (no code shared with nowplaying.emulator), so the clients are
checked against the APIs' documented behaviour rather than against our own emulator's habits:

- X API v2 recent search: newest first, `since_id`, opaque `next_token`, `meta` without next_token on the
  last page and without `data` when empty, text with &, <, > HTML-escaped, `includes.users`.
- Mastodon tag timeline: newest first, `since_id`/`max_id`/`min_id`, `limit` <= 40, a Link header whose
  rel="next" carries only `max_id` (so a client must stop at its own since_id), HTML content with the
  invisible/ellipsis spans Mastodon emits for links.
- Spotify Web API: client-credentials token, /v1/search with a plain popularity ranking that treats
  field filters as "all these words appear in that field", /v1/tracks, /v1/artists, and audio-features
  answering 403.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class World:
    """What the independent servers serve; tests add posts between runs."""

    tweets: list[dict[str, Any]] = field(default_factory=list)  # X Tweet objects (unescaped text)
    users: dict[str, str] = field(default_factory=dict)  # author_id -> username
    statuses: list[dict[str, Any]] = field(default_factory=list)  # Mastodon Status objects
    catalog: dict[str, Any] = field(default_factory=lambda: {"tracks": [], "artists": []})
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _index: list[tuple[dict[str, Any], dict[str, set[str]]]] | None = None

    def index(self) -> list[tuple[dict[str, Any], dict[str, set[str]]]]:
        """Each catalog track with the folded words of its fields, built once."""
        if self._index is None:
            self._index = [(t, {"track": set(_words(t["name"])),
                                "artist": set(_words(" ".join(a["name"] for a in t["artists"]))),
                                "album": set(_words(t["album"]["name"])),
                                "year": {t["album"].get("release_date", "")[:4]}})
                           for t in self.catalog["tracks"]]
        return self._index


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _fold(text))


_FIELD = re.compile(r'(track|artist|album|year):(?:"([^"]*)"|(\S+))')


class Handler(BaseHTTPRequestHandler):
    world: World
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    # -- plumbing ------------------------------------------------------------------------------------
    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.world.lock:
            self.world.requests.append(path)
        if path == "/2/tweets/search/recent":
            return self._x_search()
        match = re.fullmatch(r"/api/v1/timelines/tag/([^/]+)", path)
        if match:
            return self._mastodon_tag()
        if path.startswith("/v1/"):
            return self._spotify(path)
        self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = parse_qs(self.rfile.read(length).decode())
        if urlsplit(self.path).path == "/api/token":
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Basic ") or body.get("grant_type") != ["client_credentials"]:
                return self._send(400, {"error": "invalid_client", "error_description": "Invalid client"})
            return self._send(200, {"access_token": "independent-token", "token_type": "Bearer", "expires_in": 3600})
        self._send(404, {"error": "not found"})

    # -- X API v2 ------------------------------------------------------------------------------------
    def _x_search(self) -> None:
        if self.headers.get("Authorization") != "Bearer independent-bearer":
            return self._send(401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                    "detail": "Unauthorized"})
        q = self._query()
        size = int(q.get("max_results", "10"))
        if not 10 <= size <= 100:
            message = "The `max_results` query parameter value is not between 10 and 100"
            return self._send(400, {"errors": [{"parameters": {"max_results": [str(size)]}, "message": message}],
                                    "title": "Invalid Request", "detail": "One or more parameters to your request "
                                    "was invalid.", "type": "https://api.twitter.com/2/problems/invalid-request"})
        since = int(q.get("since_id", "0"))
        with self.world.lock:
            matching = sorted((t for t in self.world.tweets if int(t["id"]) > since), key=lambda t: -int(t["id"]))
        offset = int(base64.urlsafe_b64decode(q["next_token"]).decode()) if "next_token" in q else 0
        page = matching[offset:offset + size]
        headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449", "x-rate-limit-reset": "9999999999"}
        if not page:
            return self._send(200, {"meta": {"result_count": 0}}, headers)
        data = []
        for tweet in page:
            out = dict(tweet)
            out["text"] = html.escape(tweet["text"], quote=False)  # X escapes &, <, >
            data.append(out)
        meta: dict[str, Any] = {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"], "result_count": len(page)}
        if offset + size < len(matching):
            meta["next_token"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        users = [{"id": t["author_id"], "name": self.world.users[t["author_id"]].title(),
                  "username": self.world.users[t["author_id"]]} for t in page if t.get("author_id") in self.world.users]
        self._send(200, {"data": data, "includes": {"users": users}, "meta": meta}, headers)

    # -- Mastodon --------------------------------------------------------------------------------------
    def _mastodon_tag(self) -> None:
        q = self._query()
        limit = max(1, min(int(q.get("limit", "20")), 40))
        with self.world.lock:
            statuses = sorted(self.world.statuses, key=lambda s: -int(s["id"]))
        if "max_id" in q:
            statuses = [s for s in statuses if int(s["id"]) < int(q["max_id"])]
        if "since_id" in q:
            statuses = [s for s in statuses if int(s["id"]) > int(q["since_id"])]
        if "min_id" in q:  # oldest first just above min_id, returned newest first
            statuses = sorted((s for s in statuses if int(s["id"]) > int(q["min_id"])), key=lambda s: int(s["id"]))
            statuses = sorted(statuses[:limit], key=lambda s: -int(s["id"]))
        page = statuses[:limit]
        headers = {}
        if page:
            base = f"http://{self.headers['Host']}{urlsplit(self.path).path}"
            headers["Link"] = (f'<{base}?{urlencode({"max_id": page[-1]["id"]})}>; rel="next", '
                               f'<{base}?{urlencode({"min_id": page[0]["id"]})}>; rel="prev"')
        self._send(200, page, headers)

    # -- Spotify ---------------------------------------------------------------------------------------
    def _spotify(self, path: str) -> None:
        if self.headers.get("Authorization") != "Bearer independent-token":
            return self._send(401, {"error": {"status": 401, "message": "Invalid access token"}})
        q = self._query()
        tracks = {t["id"]: t for t in self.world.catalog["tracks"]}
        artists = {a["id"]: a for a in self.world.catalog.get("artists", [])}
        if path == "/v1/search":
            return self._search(q)
        if path == "/v1/tracks":
            ids = q.get("ids", "").split(",")
            if len(ids) > 50:
                return self._send(400, {"error": {"status": 400, "message": "Too many ids requested"}})
            return self._send(200, {"tracks": [tracks.get(i) for i in ids]})
        match = re.fullmatch(r"/v1/tracks/(\w+)", path)
        if match:
            if match.group(1) in tracks:
                return self._send(200, tracks[match.group(1)])
            return self._send(404, {"error": {"status": 404, "message": "Resource not found"}})
        if path == "/v1/artists":
            return self._send(200, {"artists": [artists.get(i) for i in q.get("ids", "").split(",")]})
        if path.startswith("/v1/audio-features"):
            return self._send(403, {"error": {"status": 403, "message": "Forbidden"}})
        self._send(404, {"error": {"status": 404, "message": "Service not found"}})

    def _search(self, q: dict[str, str]) -> None:
        query = q.get("q", "")
        if not query.strip():
            return self._send(400, {"error": {"status": 400, "message": "No search query"}})
        limit = int(q.get("limit", "20"))
        offset = int(q.get("offset", "0"))
        if not 0 <= limit <= 50:
            return self._send(400, {"error": {"status": 400, "message": "Invalid limit"}})
        filters: dict[str, list[str]] = {}
        for match in _FIELD.finditer(query):
            filters.setdefault(match.group(1), []).extend(_words(match.group(2) or match.group(3) or ""))
        free = _words(_FIELD.sub(" ", query))

        hits = []
        for track, f in self.world.index():
            everything = f["track"] | f["artist"] | f["album"]
            if all(set(words) <= f[name] for name, words in filters.items()) and set(free) <= everything:
                hits.append(track)
        hits.sort(key=lambda t: -t.get("popularity", 0))
        items = hits[offset:offset + limit]
        self._send(200, {"tracks": {"href": "", "items": items, "limit": limit, "offset": offset,
                                    "next": None, "previous": None, "total": len(hits)}})


class IndependentApis:
    def __init__(self, world: World) -> None:
        handler = type("BoundHandler", (Handler,), {"world": world})
        self.world = world
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> IndependentApis:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
