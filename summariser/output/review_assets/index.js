// The run's index: click (or Enter on) a column head to sort by it, again to reverse; the box
// filters rows by any text. Numbers sort as numbers, text in Chinese collation.
(function () {
  "use strict";
  var table = document.getElementById("reports");
  var tbody = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  function value(row, i, kind) {
    var text = row.cells[i].textContent.trim();
    if (kind !== "num") return text;
    var v = parseFloat(text);
    return isNaN(v) ? -Infinity : v;
  }
  function sortBy(i) {
    var th = heads[i];
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var kind = th.getAttribute("data-kind");
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = value(a, i, kind), y = value(b, i, kind);
      var c = kind === "num" ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y);
      return asc ? c : -c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    tbody.appendChild(frag);
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.addEventListener("click", function () { sortBy(i); });
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") sortBy(i); });
  });
  var filter = document.getElementById("filter");
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(tbody.rows, function (r) {
      r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
})();
