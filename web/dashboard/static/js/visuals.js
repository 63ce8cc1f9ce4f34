// The Visuals view. The seed's controls: bars (multi-select), line (single-select), the two exclusive;
// size (5/10/15/20); order by any column, ascending or descending. Chart.js draws on a canvas, so post
// and track text is never parsed as markup; the table below uses textContent.
"use strict";
(function () {
  const LABELS = {
    plays: "Plays", popularity: "Popularity", duration_s: "Duration (s)", danceability: "Danceability",
    energy: "Energy", valence: "Valence", tempo: "Tempo", acousticness: "Acousticness",
    instrumentalness: "Instrumentalness", liveness: "Liveness", speechiness: "Speechiness", loudness: "Loudness",
  };
  const COLUMNS = Object.keys(LABELS);
  const COLORS = ["#1db954", "#3b82f6", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6", "#ec4899", "#84cc16",
    "#f97316", "#64748b", "#0ea5e9", "#a855f7"];
  const bars = document.getElementById("bars");
  const line = document.getElementById("line");
  const size = document.getElementById("size");
  const order = document.getElementById("order");
  const fromInput = document.getElementById("from");
  const toInput = document.getElementById("to");
  const state = { tracks: [], bars: ["energy", "danceability", "valence"], line: "plays", shown: [] };
  const charts = {};

  function option(value, label, selected) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    o.selected = !!selected;
    return o;
  }

  // Rebuild both selectors so that a column chosen in one is absent from the other.
  function refreshSelectors() {
    bars.replaceChildren(...COLUMNS.filter((c) => c !== state.line)
      .map((c) => option(c, LABELS[c], state.bars.includes(c))));
    line.replaceChildren(option("", "(none)", !state.line),
      ...COLUMNS.filter((c) => !state.bars.includes(c)).map((c) => option(c, LABELS[c], c === state.line)));
  }

  function fillOrder() {
    const opts = [option("title:asc", "Track (A→Z)"), option("title:desc", "Track (Z→A)")];
    COLUMNS.forEach((c) => {
      opts.push(option(c + ":desc", LABELS[c] + " (descending)", c === "plays"));
      opts.push(option(c + ":asc", LABELS[c] + " (ascending)"));
    });
    order.replaceChildren(...opts);
  }

  function sortedTracks() {
    const [col, dir] = order.value.split(":");
    const sign = dir === "asc" ? 1 : -1;
    const have = state.tracks.filter((t) => t[col] !== null && t[col] !== undefined);
    const missing = state.tracks.filter((t) => t[col] === null || t[col] === undefined);
    have.sort((a, b) => {
      const x = a[col], y = b[col];
      const cmp = typeof x === "string" ? x.localeCompare(y) : x - y;
      return sign * cmp || a.track_id.localeCompare(b.track_id);
    });
    return have.concat(missing).slice(0, Number(size.value));
  }

  function shortLabel(t) {
    const s = t.title || t.track_id;
    return s.length > 28 ? s.slice(0, 27) + "…" : s;
  }

  function drawTracks() {
    const rows = sortedTracks();
    state.shown = rows;
    const datasets = state.bars.map((c, i) => ({
      type: "bar", label: LABELS[c], data: rows.map((t) => t[c]), yAxisID: "y",
      backgroundColor: COLORS[i % COLORS.length], order: 2,
    }));
    if (state.line) {
      datasets.push({ type: "line", label: LABELS[state.line], data: rows.map((t) => t[state.line]),
        yAxisID: "y1", borderColor: "#111827", backgroundColor: "#111827", order: 1, tension: 0.2 });
    }
    const config = {
      data: { labels: rows.map(shortLabel), datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: { duration: 250 },
        scales: { y: { position: "left", beginAtZero: true },
                  y1: { position: "right", display: !!state.line, grid: { drawOnChartArea: false } } },
        plugins: { tooltip: { callbacks: { title: (items) => {
          const t = rows[items[0].dataIndex];
          return (t.title || t.track_id) + " — " + (t.artists || []).join(", ");
        } } } },
      },
    };
    if (charts.tracks) charts.tracks.destroy();
    charts.tracks = new Chart(document.getElementById("tracks-chart"), config);
    document.getElementById("tracks-empty").hidden = rows.length > 0;

    const [col] = order.value.split(":");
    document.getElementById("tracks-col").textContent = col === "title" ? "Plays" : LABELS[col];
    const body = document.querySelector("#tracks-table tbody");
    body.replaceChildren(...rows.map((t, i) => {
      const tr = document.createElement("tr");
      const value = col === "title" ? t.plays : t[col];
      tr.append(NP.el("td", i + 1), NP.el("td", t.title || t.track_id, "track"),
        NP.el("td", (t.artists || []).join(", ")), NP.el("td", value === null ? "–" : value));
      return tr;
    }));
  }

  function lineChart(id, payload, emptyId) {
    const empty = !payload.series.length;
    document.getElementById(emptyId).hidden = !empty;
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart(document.getElementById(id), {
      type: "line",
      data: { labels: payload.days, datasets: payload.series.map((s, i) => ({
        label: s.label.length > 40 ? s.label.slice(0, 39) + "…" : s.label, data: s.values,
        borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], tension: 0.2 })) },
      options: { responsive: true, maintainAspectRatio: false, animation: { duration: 250 },
        scales: { y: { beginAtZero: true, title: { display: true, text: "plays" } } } },
    });
  }

  function dailyChart(payload) {
    const rows = payload.days.filter((d) => d.posts > 0);
    document.getElementById("daily-empty").hidden = rows.length > 0;
    if (charts.daily) charts.daily.destroy();
    charts.daily = new Chart(document.getElementById("daily"), {
      data: { labels: payload.days.map((d) => d.day), datasets: [
        { type: "bar", label: "Posts", data: payload.days.map((d) => d.posts), yAxisID: "y", backgroundColor: "#93c5fd", order: 2 },
        { type: "line", label: "Resolved share (%)", yAxisID: "y1", borderColor: "#1db954", backgroundColor: "#1db954", order: 1,
          data: payload.days.map((d) => (d.share === null ? null : Math.round(d.share * 1000) / 10)) },
      ] },
      options: { responsive: true, maintainAspectRatio: false, animation: { duration: 250 },
        scales: { y: { beginAtZero: true, position: "left" },
                  y1: { min: 0, max: 100, position: "right", grid: { drawOnChartArea: false } } } },
    });
  }

  function query() {
    const p = new URLSearchParams();
    if (fromInput.value) p.set("from", fromInput.value);
    if (toInput.value) p.set("to", toInput.value);
    return p.toString() ? "?" + p.toString() : "";
  }

  function showError(err) {
    document.getElementById("range-note").textContent = "Could not load: " + err.message;
  }

  async function load() {
    const q = query();
    try {
      const tracks = await NP.getJSON("/api/tracks" + q);
      state.tracks = tracks.tracks;
      if (tracks.from && !fromInput.value) fromInput.value = tracks.from;
      if (tracks.to && !toInput.value) toInput.value = tracks.to;
      document.getElementById("range-note").textContent = tracks.from
        ? "Showing " + tracks.from + " to " + tracks.to + " (UTC)." : "No plays stored yet.";
      drawTracks();
      const q2 = query();
      const [tt, ta, daily] = await Promise.all([
        NP.getJSON("/api/stats/top?kind=tracks" + (q2 ? "&" + q2.slice(1) : "")),
        NP.getJSON("/api/stats/top?kind=artists" + (q2 ? "&" + q2.slice(1) : "")),
        NP.getJSON("/api/stats/daily" + q2),
      ]);
      lineChart("top-tracks", tt, "top-tracks-empty");
      lineChart("top-artists", ta, "top-artists-empty");
      dailyChart(daily);
    } catch (err) {
      showError(err);
    }
  }

  bars.addEventListener("change", () => {
    state.bars = Array.from(bars.selectedOptions).map((o) => o.value);
    refreshSelectors();
    drawTracks();
  });
  line.addEventListener("change", () => {
    state.line = line.value;
    refreshSelectors();
    drawTracks();
  });
  size.addEventListener("change", drawTracks);
  order.addEventListener("change", drawTracks);
  document.getElementById("range").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });

  refreshSelectors();
  fillOrder();
  window.NP.visuals = { state, charts };
  load();
})();
