"""The four views. First paint never waits on Cassandra for the Data and Visuals views (their data
comes from the API), so its cost does not depend on how many plays are stored."""

from __future__ import annotations

from flask import Blueprint, render_template

from dashboard import store
from dashboard.params import DATA_COLUMNS
from dashboard.plays import DEFAULT_WINDOW

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", active="home")


@bp.get("/data")
def data() -> str:
    return render_template("data.html", active="data", columns=DATA_COLUMNS,
                           window=store().window or DEFAULT_WINDOW)


@bp.get("/visuals")
def visuals() -> str:
    return render_template("visuals.html", active="visuals")


@bp.get("/pipeline")
def pipeline() -> str:
    runs = store().insights().runs(30)
    return render_template("pipeline.html", active="pipeline", runs=runs)
