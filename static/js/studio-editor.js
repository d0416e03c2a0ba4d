// Studio editor: chart navigation without a page reload, and whole-row/column toggles in the schedule grid.
// Every link and form works without this script.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-studio-chart] a[data-partial]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var card = link.closest("[data-studio-chart]");
    event.preventDefault();
    card.classList.add("is-loading");
    fetch(link.getAttribute("data-partial"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        card.replaceWith(fresh);
        history.replaceState(null, "", link.getAttribute("href"));
        var focus = fresh.querySelector('a[aria-current="true"]') || fresh;
        if (focus.focus) focus.focus({ preventScroll: true });
      })
      .catch(function () { window.location.href = link.getAttribute("href"); });
  });

  // Schedule grid: a weekday or month header toggles its whole row / column.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-toggle-row], [data-toggle-col]");
    if (!button) return;
    var table = button.closest("[data-schedule]");
    var selector = button.hasAttribute("data-toggle-row")
      ? 'input[data-row="' + button.getAttribute("data-toggle-row") + '"]'
      : 'input[data-col="' + button.getAttribute("data-toggle-col") + '"]';
    var boxes = Array.prototype.slice.call(table.querySelectorAll(selector));
    var allOn = boxes.every(function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = !allOn; });
  });
})();
