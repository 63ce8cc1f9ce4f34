"""nowplaying: #NowPlaying posts -> Spotify tracks -> Cassandra -> dashboard."""

__version__ = "0.1.0"
