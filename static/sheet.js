// The sheet's running total as the unit types (issue 17, item 11). Progressive enhancement:
// without this script the total is the one computed on the server at the last save, which
// stays the truth; this only mirrors its rule (model::totals) on what is typed, unsaved.
(function () {
  "use strict";
  var out = document.getElementById("claimed-live");
  var form = document.getElementById("sheet-form");
  if (!out || !form) { return; }
  var bonusCap = parseFloat(out.getAttribute("data-bonus-cap")) || 0;
  var penaltyCap = parseFloat(out.getAttribute("data-penalty-cap")) || 0;
  var note = document.getElementById("claimed-note");

  function num(s) {
    var v = parseFloat(String(s || "").trim().replace(",", "."));
    return isFinite(v) ? v : 0;
  }
  // As the server writes figures: at most 2 decimals, no trailing zeros, a decimal comma.
  function fmt(v) {
    return String(Math.round(v * 100) / 100).replace(".", ",");
  }

  function recompute() {
    var standard = 0, bonus = 0, penalty = 0, max = 0;
    var points = document.querySelectorAll("input[data-kind]");
    for (var i = 0; i < points.length; i++) {
      var p = points[i];
      var na = document.querySelector("input[name='na_" + p.name.slice(2) + "']");
      if (na && na.checked) { continue; }
      var v = num(p.value);
      var kind = p.getAttribute("data-kind");
      if (kind === "bonus") { bonus += v; }
      else if (kind === "penalty") { penalty += v; }
      else { standard += v; max += num(p.getAttribute("data-max")); }
    }
    var total = standard + Math.min(bonus, bonusCap) - Math.min(penalty, penaltyCap);
    var percent = max > 0 ? Math.round(total * 10000 / max) / 100 : 0;
    out.textContent = fmt(total) + " / " + fmt(max) + " điểm (" + fmt(percent) + "%)";
    if (note) { note.hidden = false; }
  }

  // The fields stand in the table, tied to the form by their form attribute: their events
  // reach the document, not the form element.
  document.addEventListener("input", function (e) { if (e.target.form === form) { recompute(); } });
  document.addEventListener("change", function (e) { if (e.target.form === form) { recompute(); } });
})();
