// Scan pages: live status polling, PV rows (add/remove from a <template>), conditional fields, print.
(function () {
  "use strict";

  // --- Live status: poll the small JSON endpoint every 2 s; reload once the scan is done. ---
  function poll(box) {
    var url = box.getAttribute("data-scan-status-url");
    var text = box.querySelector("[data-status-text]");
    var started = Date.now();
    var timer = setInterval(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (text) text.textContent = data.label + " · " + Math.round((Date.now() - started) / 1000) + " s";
          if (data.status !== "processing") { clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { /* transient network error: try again on the next tick */ });
    }, 2000);
  }
  document.querySelectorAll("[data-scan-status-url]").forEach(poll);

  // Dashboard / dossier lists: rows of running scans update their status label in place.
  var live = document.querySelectorAll("[data-live-status]");
  if (live.length) {
    var timer = setInterval(function () {
      var pending = document.querySelectorAll('[data-live-status][data-state="processing"]');
      if (!pending.length) { clearInterval(timer); return; }
      pending.forEach(function (el) {
        fetch(el.getAttribute("data-live-status"), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) return;
            el.setAttribute("data-state", data.status);
            el.className = "status status-" + data.status;
            el.textContent = data.label;
          });
      });
    }, 2000);
  }

  // --- Print buttons ---
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  var form = document.querySelector("[data-scan-form]");
  if (!form) return;

  // --- PV rows: names are "newPv.<i>.field"; renumber after a removal so errors map to rows. ---
  function renumber(container, step) {
    container.querySelectorAll("[data-row]").forEach(function (row, index) {
      row.querySelectorAll("input, label, ul").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (!value) return;
          var dotted = new RegExp("^(" + step + ")\\.(\\d+|__i__)\\.");
          var dashed = new RegExp("(f-" + step + ")-(\\d+|__i__)-", "g");
          el.setAttribute(attr, value.replace(dotted, "$1." + index + ".").replace(dashed, "$1-" + index + "-"));
        });
      });
    });
    var empty = form.querySelector('[data-rows-empty="' + step + '"]');
    if (empty) empty.hidden = container.querySelectorAll("[data-row]").length > 0;
  }
  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var step = add.getAttribute("data-add-row");
      var template = form.querySelector('[data-row-template="' + step + '"]');
      var container = form.querySelector('[data-rows="' + step + '"]');
      container.appendChild(template.content.cloneNode(true));
      renumber(container, step);
      var inputs = container.querySelectorAll("[data-row]:last-child input");
      if (inputs.length) inputs[0].focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var rows = remove.closest("[data-rows]");
      remove.closest("[data-row]").remove();
      renumber(rows, rows.getAttribute("data-rows"));
    }
  });

  // --- Conditional fields: data-when="name=value" (radio, select or checkbox "on"). ---
  function current(name) {
    var els = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === "radio") { if (el.checked) return el.value; }
      else if (el.type === "checkbox") return el.checked ? "on" : "";
      else return el.value;
    }
    return "";
  }
  function refresh() {
    form.querySelectorAll("[data-when]").forEach(function (wrapper) {
      var rule = wrapper.getAttribute("data-when").split("=");
      // Keep a field with an error visible whatever the switches say.
      wrapper.hidden = current(rule[0]) !== rule[1] && !wrapper.classList.contains("has-error");
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
