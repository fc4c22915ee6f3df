// Kiosk behaviour: idle reset, on-screen keypad, quick-fill chips (the clock: clock.js).
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

  // ---- on-screen keypad for digits (X for ID numbers, . for money) ----
  var keypad = document.getElementById("keypad");
  var target = null;
  var MAX = { id: 18, phone: 11, money: 7, digits: 6 };
  function openKeypad(input) {
    if (!keypad) return;
    target = input;
    var kind = input.dataset.keypad;
    keypad.querySelector('[data-key="X"]').disabled = kind !== "id";
    keypad.querySelector('[data-key="."]').disabled = kind !== "money";
    keypad.hidden = false;
    body.classList.add("keypad-open");
    input.scrollIntoView({ block: "center", behavior: "instant" });
  }
  function closeKeypad() {
    if (!keypad) return;
    keypad.hidden = true;
    body.classList.remove("keypad-open");
    target = null;
  }
  document.addEventListener("focusin", function (e) {
    var el = e.target;
    if (el.matches && el.matches("input[data-keypad]")) openKeypad(el);
    else if (el.closest && !el.closest("#keypad")) closeKeypad();
  });
  document.addEventListener("pointerdown", function (e) {
    // keep focus (and the caret) in the field while a key is pressed
    if (e.target.closest && e.target.closest("#keypad")) e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    var key = e.target.closest && e.target.closest("#keypad [data-key]");
    if (!key || !target) return;
    var k = key.dataset.key;
    var v = target.value;
    if (k === "back") v = v.slice(0, -1);
    else if (k === "clear") v = "";
    else if (k === "done") { var t = target; closeKeypad(); t.blur(); return; }
    else if (v.length < (MAX[target.dataset.keypad] || 20)) v = v + k;
    target.value = v;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  });
  document.addEventListener("htmx:beforeSwap", closeKeypad);

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
})();
