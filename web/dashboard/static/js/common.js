// Shared helpers. Everything a post's author wrote is untrusted: it reaches the page only through
// textContent or escapeHtml, never as markup.
"use strict";
window.NP = (function () {
  const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  function escapeHtml(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`]/g, (c) => ESC[c]);
  }
  function fmtInt(n) {
    return (n === null || n === undefined) ? "–" : Number(n).toLocaleString("en-US");
  }
  function fmtPct(x) {
    return (x === null || x === undefined) ? "–" : (100 * x).toFixed(1) + " %";
  }
  function fmtTime(iso) {
    return iso ? iso.replace("T", " ").replace("Z", "").slice(0, 19) : "";
  }
  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error((body && body.error) || ("HTTP " + res.status));
    return body;
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  return { escapeHtml, fmtInt, fmtPct, fmtTime, getJSON, el };
})();
