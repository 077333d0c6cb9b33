/* Contact form niceties; the form works without this script.
   - "What we'll share": unticking a part sends remove=<part> (a hidden input is enabled).
   - The send button is disabled after the first click (the idempotency key covers the rest). */
(function () {
  "use strict";
  document.querySelectorAll("[data-support-share] [data-part]").forEach(function (part) {
    var keep = part.querySelector("[data-keep]");
    var remove = part.querySelector("[data-remove]");
    if (!keep || !remove) { return; }
    keep.addEventListener("change", function () {
      remove.disabled = keep.checked;
      part.classList.toggle("is-removed", !keep.checked);
    });
  });
  document.querySelectorAll("[data-support-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
