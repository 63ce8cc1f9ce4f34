"""The contract commands against independent implementations of the APIs (see independent_apis.py), the
way acceptance runs them: `nowplaying extract` for both sources (every post once, intact text, expanded
links, a second run reads only the new posts) and `nowplaying resolve` on the held-out demo set (the four
quality targets)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nowplaying.emulator import DEMO_FIXTURES

from tests.contract.independent_apis import IndependentApis, World

SPOTIFY_ID = "4uLU6hMCjMI75M1A2tKUQC"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nowplaying", *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def base_env(apis: IndependentApis, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("X_", "MASTODON_", "SPOTIFY_", "RECCOBEATS_"))}
    env.update({
        "X_API_BASE_URL": apis.base_url, "X_BEARER_TOKEN": "independent-bearer", "X_MAX_POSTS_PER_RUN": "5000",
        "MASTODON_INSTANCES": apis.base_url, "MASTODON_MAX_POSTS_PER_RUN": "5000",
        "SPOTIFY_API_BASE_URL": apis.base_url, "SPOTIFY_ACCOUNTS_BASE_URL": apis.base_url,
        "SPOTIFY_CLIENT_ID": "independent-client", "SPOTIFY_CLIENT_SECRET": "independent-secret",
        "RECCOBEATS_API_BASE_URL": apis.base_url + "/none", "NOWPLAYING_DATA_DIR": str(tmp_path / "data"),
        "NOWPLAYING_LOG_FORMAT": "json",
    })
    return env


def make_tweet(n: int) -> dict:
    tid = str(1_900_000_000_000_000_000 + n * 1000)
    text = f"#NowPlaying Artist {n} & Friends - Song <{n}> https://t.co/abc{n}"
    return {"id": tid, "text": text, "created_at": "2026-11-27T10:00:00.000Z", "lang": "en",
            "author_id": str(100 + n % 7), "edit_history_tweet_ids": [tid],
            "entities": {"urls": [{"start": text.index("https://t.co"), "end": len(text), "url": f"https://t.co/abc{n}",
                                   "expanded_url": f"https://open.spotify.com/track/{SPOTIFY_ID}?si={n}",
                                   "display_url": f"open.spotify.com/track/{SPOTIFY_ID[:10]}…"}],
                         "hashtags": [{"start": 0, "end": 11, "tag": "NowPlaying"}]}}


def test_extract_x_against_an_independent_api(tmp_path):
    world = World(tweets=[make_tweet(n) for n in range(1, 251)], users={str(100 + i): f"user{i}" for i in range(7)})
    with IndependentApis(world) as apis:
        env = base_env(apis, tmp_path)
        state = tmp_path / "x-state.json"
        first = cli(env, "extract", "--source", "x", "--output", str(tmp_path / "x1.jsonl"),
                    "--state-file", str(state))
        assert first.returncode == 0, first.stderr
        posts = read_jsonl(tmp_path / "x1.jsonl")
        assert sorted(p["id"] for p in posts) == sorted(t["id"] for t in world.tweets)
        by_id = {p["id"]: p for p in posts}
        for tweet in world.tweets:
            post = by_id[tweet["id"]]
            assert post["text"] == tweet["text"]  # &, <, > unescaped, nothing else touched
            assert post["urls"] == [tweet["entities"]["urls"][0]["expanded_url"]]
            assert post["source"] == "x" and post["author"] == f"user{int(tweet['author_id']) - 100}"
            assert post["created_at"].startswith("2026-11-27T10:00:00")
        with world.lock:
            world.tweets.extend(make_tweet(n) for n in range(251, 281))
        second = cli(env, "extract", "--source", "x", "--output", str(tmp_path / "x2.jsonl"),
                     "--state-file", str(state))
        assert second.returncode == 0, second.stderr
        assert sorted(p["id"] for p in read_jsonl(tmp_path / "x2.jsonl")) == sorted(
            make_tweet(n)["id"] for n in range(251, 281))


def make_status(n: int) -> dict:
    sid = str(113_000_000_000_000_000 + n)
    link = (f'<a href="https://open.spotify.com/track/{SPOTIFY_ID}?si={n}" rel="nofollow noopener" '
            f'translate="no" target="_blank"><span class="invisible">https://</span><span class="ellipsis">'
            f'open.spotify.com/track/{SPOTIFY_ID[:6]}</span><span class="invisible">{SPOTIFY_ID[6:]}?si={n}</span></a>')
    tag = '<a href="https://m.example/tags/NowPlaying" class="mention hashtag" rel="tag">#<span>NowPlaying</span></a>'
    content = f"<p>{tag} Björk &amp; Friends – Song {n}<br />{link}</p>"
    return {"id": sid, "created_at": "2026-11-27T11:00:00.000Z", "language": "en", "content": content,
            "uri": f"https://m.example/users/u/statuses/{sid}", "url": f"https://m.example/@u/{sid}",
            "visibility": "public", "sensitive": False, "spoiler_text": "", "reblog": None,
            "account": {"id": "1", "username": "u", "acct": "u", "display_name": "U", "url": "https://m.example/@u"},
            "tags": [{"name": "nowplaying", "url": "https://m.example/tags/nowplaying"}], "mentions": [],
            "media_attachments": [], "emojis": []}


def test_extract_mastodon_against_an_independent_api(tmp_path):
    world = World(statuses=[make_status(n) for n in range(1, 101)])
    with IndependentApis(world) as apis:
        env = base_env(apis, tmp_path)
        state = tmp_path / "m-state.json"
        first = cli(env, "extract", "--source", "mastodon", "--output", str(tmp_path / "m1.jsonl"),
                    "--state-file", str(state))
        assert first.returncode == 0, first.stderr
        posts = read_jsonl(tmp_path / "m1.jsonl")
        assert sorted(p["id"] for p in posts) == sorted(s["id"] for s in world.statuses)
        for post in posts:
            n = int(post["id"]) - 113_000_000_000_000_000
            url = f"https://open.spotify.com/track/{SPOTIFY_ID}?si={n}"
            assert post["urls"] == [url]
            assert post["text"].split() == ["#NowPlaying", "Björk", "&", "Friends", "–", "Song", str(n), url]
            assert "\n" in post["text"]  # <br> is a line break
        with world.lock:
            world.statuses.extend(make_status(n) for n in range(101, 121))
        second = cli(env, "extract", "--source", "mastodon", "--output", str(tmp_path / "m2.jsonl"),
                     "--state-file", str(state))
        assert second.returncode == 0, second.stderr
        assert sorted(p["id"] for p in read_jsonl(tmp_path / "m2.jsonl")) == sorted(
            make_status(n)["id"] for n in range(101, 121))


@pytest.mark.slow
def test_resolve_held_out_demo_set_against_an_independent_spotify(tmp_path):
    """Extract the demo posts from the independent X/Mastodon servers, resolve them against the
    independent Spotify, and score with the demo labels: the issue's four targets."""
    tweets = read_jsonl(DEMO_FIXTURES / "x" / "tweets.jsonl")
    users = {u["id"]: u["username"] for u in read_jsonl(DEMO_FIXTURES / "x" / "users.jsonl")}
    statuses = read_jsonl(DEMO_FIXTURES / "mastodon" / "statuses.jsonl")
    catalog = json.loads((DEMO_FIXTURES / "spotify" / "catalog.json").read_text())
    labels = json.loads((DEMO_FIXTURES / "labels.json").read_text())
    world = World(tweets=tweets, users=users, statuses=statuses, catalog=catalog)
    with IndependentApis(world) as apis:
        env = base_env(apis, tmp_path)
        posts_file = tmp_path / "posts.jsonl"
        for source in ("x", "mastodon"):
            out = tmp_path / f"{source}.jsonl"
            result = cli(env, "extract", "--source", source, "--output", str(out), "--state-file",
                         str(tmp_path / f"{source}-state.json"))
            assert result.returncode == 0, result.stderr
            with posts_file.open("a", encoding="utf-8") as handle:
                handle.write(out.read_text(encoding="utf-8"))
        posts = read_jsonl(posts_file)
        assert len(posts) == len(tweets) + len(statuses)
        searches_before = world.requests.count("/v1/search")
        result = cli(env, "resolve", "--input", str(posts_file), "--output", str(tmp_path / "resolved.jsonl"))
        assert result.returncode == 0, result.stderr
        searches = world.requests.count("/v1/search") - searches_before
    resolved = read_jsonl(tmp_path / "resolved.jsonl")
    assert [r["id"] for r in resolved] == [p["id"] for p in posts]  # one line per post, input order
    claims = correct = music = found = no_music = left_alone = 0
    for record in resolved:
        label = labels.get(record["id"])
        if label is None or label.get("ambiguous"):
            continue
        accept = set(label["accept"])
        if record["track_id"]:
            claims += 1
            correct += record["track_id"] in accept
        if accept:
            music += 1
            found += record["track_id"] in accept
        else:
            no_music += 1
            left_alone += record["track_id"] is None
    precision, recall = correct / max(claims, 1), found / max(music, 1)
    print(f"independent Spotify: precision {precision:.3f} recall {recall:.3f} no-music left alone "
          f"{left_alone}/{no_music} searches/post {searches / len(posts):.2f}")
    assert precision >= 0.98
    assert recall >= 0.95
    assert left_alone == no_music
    assert searches / len(posts) <= 1.0
