// The report page: a click on an item, quote or figure scrolls the other pane to its place and
// flashes it; a click in the source goes back to its item. No network, no globals.
(function () {
  "use strict";
  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when clicked twice
    el.classList.add("flash");
    window.setTimeout(function () { el.classList.remove("flash"); }, 1700);
  }
  function go(from) {
    var to = document.getElementById(from.getAttribute("data-target"));
    if (!to) return false;
    to.scrollIntoView({ block: "center", inline: "nearest" });
    flash(to);
    return true;
  }
  // the counts at the top: each click shows the next figure of that status in the summary
  var next = {};
  function jump(kind) {
    var marks = Array.prototype.filter.call(
      document.querySelectorAll("main article mark.st-" + kind),
      function (m) { return !m.closest("details"); }
    );
    if (!marks.length) return;
    next[kind] = ((next[kind] === undefined ? -1 : next[kind]) + 1) % marks.length;
    marks[next[kind]].scrollIntoView({ block: "center", inline: "nearest" });
    flash(marks[next[kind]]);
  }
  document.addEventListener("click", function (ev) {
    if (!(ev.target instanceof Element) || ev.target.closest("summary, a")) return;
    var counter = ev.target.closest("[data-jump]");
    if (counter) { jump(counter.getAttribute("data-jump")); return; }
    var sel = window.getSelection();
    if (sel && sel.toString()) return; // selecting text to copy is not a click
    var from = ev.target.closest("[data-target]");
    if (from && go(from)) ev.preventDefault();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.target instanceof Element)) return;
    if (ev.target.matches("[data-target]")) go(ev.target);
  });
  Array.prototype.forEach.call(document.querySelectorAll("article.item"), function (el) {
    el.setAttribute("tabindex", "0");
  });
})();
