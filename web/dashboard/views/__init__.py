"""Blueprints: pages (HTML views), api (JSON + CSV), ops (health, readiness, metrics), vendor (npm files)."""
