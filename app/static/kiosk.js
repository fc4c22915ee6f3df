// Kiosk behaviour: idle reset, quick-fill chips, clock (the on-screen input panel: kiosk-input.js).
// Event delegation on document, so content swapped in by htmx needs no re-binding.
(function () {
  "use strict";
  var body = document.body;

  // ---- idle reset: back to the start screen by a full page load ----
  var idleSeconds = parseInt(body.dataset.idleSeconds || "0", 10);
  var homeUrl = body.dataset.homeUrl;
  var idleTimer = null;
  function armIdle() {
    if (!idleSeconds || !homeUrl) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () {
      // A page that must end something first (the terminal setup ends the staff session
      // signed in on this kiosk) names the form to send instead.
      var leave = document.querySelector("form[data-idle-submit]");
      if (leave) leave.submit(); else window.location.replace(homeUrl);
    }, idleSeconds * 1000);
  }
  ["pointerdown", "keydown", "input", "htmx:afterSwap"].forEach(function (type) {
    document.addEventListener(type, armIdle, true);
  });
  armIdle();

  // ---- after a step is swapped in: show its first error, else its top ----
  document.addEventListener("htmx:afterSwap", function () {
    var step = document.getElementById("kiosk-step");
    if (!step) return;
    var bad = step.querySelector(".has-error");
    (bad || step).scrollIntoView({ block: bad ? "center" : "start", behavior: "instant" });
  });

  // ---- quick-fill chips (e.g. wage 200 元) ----
  document.addEventListener("click", function (e) {
    var chip = e.target.closest && e.target.closest("[data-fill]");
    if (!chip) return;
    var input = document.getElementById(chip.dataset.fill);
    if (!input) return;
    input.value = chip.dataset.value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    document.querySelectorAll('[data-fill="' + chip.dataset.fill + '"]').forEach(function (other) {
      other.setAttribute("aria-pressed", other === chip ? "true" : "false");
    });
  });

  // ---- phrase chips append to a text field (e.g. 包吃, 日结) ----
  document.addEventListener("click", function (e) {
    var chip = e.target.closest && e.target.closest("[data-append]");
    if (!chip) return;
    var input = document.getElementById(chip.dataset.append);
    if (!input) return;
    var parts = input.value ? input.value.split("，") : [];
    if (parts.indexOf(chip.dataset.value) === -1) parts.push(chip.dataset.value);
    input.value = parts.join("，").slice(0, input.maxLength > 0 ? input.maxLength : 200);
    chip.setAttribute("aria-pressed", "true");
  });

  // ---- clock in the header ----
  function tick() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      el.textContent = (d.getMonth() + 1) + "月" + d.getDate() + "日 " + pad(d.getHours()) + ":" + pad(d.getMinutes());
    });
  }
  tick();
  setInterval(tick, 10000);
})();
