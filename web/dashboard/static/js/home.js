"use strict";
(function () {
  const set = (id, text) => { document.getElementById(id).textContent = text; };
  NP.getJSON("/api/stats").then((s) => {
    set("c-plays", NP.fmtInt(s.plays));
    set("c-tracks", NP.fmtInt(s.tracks));
    set("c-artists", NP.fmtInt(s.artists));
    if (s.last_run) {
      set("c-run", (s.last_run.status || "?") + " · " + NP.fmtTime(s.last_run.started_at || s.last_run.run_id));
      set("c-match", NP.fmtPct(s.last_run.match_rate));
    } else {
      set("c-run", "none yet");
      set("c-match", "–");
    }
    if (!s.plays) {
      const note = document.getElementById("counters-note");
      note.textContent = "No plays stored yet: run the pipeline (make up does it once) and refresh.";
      note.hidden = false;
    }
  }).catch((err) => {
    const note = document.getElementById("counters-note");
    note.textContent = "Counters unavailable: " + err.message;
    note.hidden = false;
    ["c-plays", "c-tracks", "c-artists", "c-run", "c-match"].forEach((id) => set(id, "–"));
  });
})();
