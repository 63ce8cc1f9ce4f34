// The Data view: DataTables in server-side mode against /api/plays (draw/start/length/search/order).
// Every cell is rendered through escapeHtml: post text is untrusted.
"use strict";
(function () {
  const table = document.getElementById("plays");
  const names = table.dataset.npColumns.split(",");
  const fromInput = document.getElementById("from");
  const toInput = document.getElementById("to");
  const exportLink = document.getElementById("export");
  const hiddenByDefault = new Set(["acousticness", "instrumentalness", "liveness", "speechiness", "loudness"]);
  const numeric = new Set(["popularity", "danceability", "energy", "valence", "tempo", "acousticness",
    "instrumentalness", "liveness", "speechiness", "loudness"]);

  function text(data, type) {
    if (Array.isArray(data)) data = data.join(", ");
    if (data === null || data === undefined) data = "";
    return type === "display" ? NP.escapeHtml(data) : data;
  }
  function time(data, type) {
    return type === "display" ? NP.escapeHtml(NP.fmtTime(data)) : data;
  }
  function num(data, type) {
    if (data === null || data === undefined) return type === "display" ? "" : data;
    return type === "display" ? NP.escapeHtml(Number(data).toLocaleString("en-US", { maximumFractionDigits: 3 })) : data;
  }

  const columns = names.map((name) => ({
    data: name,
    name: name,
    render: name === "played_at" ? time : (numeric.has(name) ? num : text),
    className: (numeric.has(name) ? "dt-right " : "") + "col-" + name,
    visible: !hiddenByDefault.has(name),
  }));

  function rangeParams() {
    const p = {};
    if (fromInput.value) p.from = fromInput.value;
    if (toInput.value) p.to = toInput.value;
    return p;
  }

  const dt = new DataTable(table, {
    serverSide: true,
    processing: true,
    searchDelay: 400,
    pageLength: 50,
    lengthMenu: [10, 25, 50, 100],
    order: [[0, "desc"]],
    columns: columns,
    ajax: {
      url: "/api/plays",
      data: function (d) { Object.assign(d, rangeParams()); },
      error: function (xhr) {
        let msg = "The table could not load";
        try { msg += ": " + JSON.parse(xhr.responseText).error; } catch (e) { /* not JSON */ }
        const note = document.getElementById("window-note");
        note.textContent = msg;
        note.classList.add("error");
      },
    },
    language: {
      emptyTable: "No plays stored for these days yet.",
      zeroRecords: "No plays match the search in this window.",
    },
    layout: {
      topStart: ["pageLength", { buttons: [{ extend: "colvis", text: "Columns" }] }],
      topEnd: "search",
    },
  });

  function updateExport() {
    const params = new URLSearchParams(rangeParams());
    const search = dt.search();
    if (search) params.set("search", search);
    const order = dt.order()[0];
    if (order) { params.set("order", names[order[0]]); params.set("dir", order[1]); }
    exportLink.href = "/api/plays.csv" + (params.toString() ? "?" + params.toString() : "");
  }
  dt.on("draw", updateExport);

  document.getElementById("filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    dt.ajax.reload();
  });
  document.getElementById("clear-range").addEventListener("click", () => {
    fromInput.value = "";
    toInput.value = "";
    dt.ajax.reload();
  });
  window.NP.playsTable = dt;
})();
