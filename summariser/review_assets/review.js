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
  document.addEventListener("click", function (ev) {
    if (!(ev.target instanceof Element) || ev.target.closest("summary, a")) return;
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
