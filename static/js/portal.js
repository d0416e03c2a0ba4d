// Small progressive enhancements for the portal; every page works without them.
(function () {
  "use strict";

  // Copy buttons next to one-time secrets: <button data-copy="#input-id" data-copied="Copied">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      setTimeout(function () { button.textContent = label; }, 1800);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      document.execCommand("copy");
      done();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // Branding: live preview of colour, display name and the chosen logo before upload.
  var form = document.querySelector("[data-branding-form]");
  var preview = document.querySelector("[data-brand-preview]");
  if (!form || !preview) return;
  var color = form.querySelector('input[type="color"]');
  var output = form.querySelector("[data-color-output]");
  var name = form.querySelector('input[name="display_name"]');
  var namePreview = preview.querySelector("[data-name-preview]");
  var fallbackName = namePreview ? namePreview.textContent : "";
  var logo = form.querySelector("[data-logo-input]");
  var logoPreview = preview.querySelector("[data-logo-preview]");
  var objectUrl = null;

  if (color) {
    color.addEventListener("input", function () {
      preview.style.setProperty("--preview", color.value);
      if (output) output.textContent = color.value;
    });
  }
  if (name && namePreview) {
    name.addEventListener("input", function () {
      namePreview.textContent = name.value.trim() || fallbackName;
    });
  }
  if (logo && logoPreview) {
    logo.addEventListener("change", function () {
      var file = logo.files && logo.files[0];
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      if (!file) return;
      objectUrl = URL.createObjectURL(file);
      logoPreview.src = objectUrl;
      logoPreview.hidden = false;
    });
  }
})();
