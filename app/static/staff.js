// Staff screens: a double tap sends one request. Forms that htmx sends carry their own guard
// (hx-disabled-elt="find button" hx-sync="this:drop" on the form). A form the browser sends
// itself loads another page: the first submit disables its buttons, and nothing else is
// sent from this page (no other form, no poll that would swap in fresh buttons) meanwhile.
(function () {
  "use strict";
  var sent = false;

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.method !== "post") return;  // htmx sends it, or a GET
    if (sent) { e.preventDefault(); return; }
    sent = true;
    // after this event, so that the browser has taken the form's data with the buttons on
    setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("data-disabled-by-staff", "");
      });
    });
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    if (sent) e.preventDefault();
  });

  // A page shown again from the back-forward cache can send again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    sent = false;
    document.querySelectorAll("[data-disabled-by-staff]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("data-disabled-by-staff");
    });
  });
})();

// Keyboard shortcuts: a button with data-key="n" is pressed when N is typed, the same
// CSRF-protected POST as a click. Not while typing in a field, not with Ctrl/Alt/Meta (the
// browser's own shortcuts), not on a held key's repeats, not on a disabled button.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat || e.isComposing || !e.key) return;
    var t = e.target;
    if (t && t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    var key = e.key.toLowerCase();
    if (!/^[a-z]$/.test(key)) return;
    var button = document.querySelector('button[data-key="' + key + '"]:not([disabled])');
    if (!button) return;
    e.preventDefault();
    // A key can come the instant htmx swapped this console in, before it wired up the new
    // forms: wire this one now (htmx.process does nothing to a form already wired), so that
    // the press is the same htmx request as a click, never lost.
    if (window.htmx && button.form) window.htmx.process(button.form);
    button.click();
  });
})();

// The 撤销 bar counts its time down and goes away when the time is up (the server decides
// anyway: a late press is refused with the reason).
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-undo-seconds]").forEach(function (bar) {
      if (!bar.dataset.undoUntil) {
        bar.dataset.undoUntil = String(Date.now() + Number(bar.dataset.undoSeconds) * 1000);
      }
      var left = Math.max(0, Math.round((Number(bar.dataset.undoUntil) - Date.now()) / 1000));
      var shown = bar.querySelector(".undo-left");
      if (shown) shown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) bar.remove();
    });
  }
  setInterval(tick, 1000);
})();
