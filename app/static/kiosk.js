// Kiosk behaviour: idle reset, errors, quick-fill chips, date and time pickers (the on-screen input
// panel: kiosk-input.js; the clock: clock.js).
// Event delegation on document, so content swapped in by htmx needs no re-binding.
(function () {
  "use strict";
  var body = document.body;

  // ---- idle reset: back to the start screen (data-home-url) by a full page load ----
  // A step with a form waits longer (data-form-idle-seconds) than the start and done
  // screens (data-idle-seconds). The last data-idle-warning-seconds show an overlay that
  // asks "还需要更多时间吗？" with a countdown; any tap on it (or anywhere) keeps the page.
  var homeUrl = body.dataset.homeUrl;
  var overlay = document.getElementById("idle-warning");
  var countdown = document.getElementById("idle-countdown");
  var idleTimer = null;
  var tickTimer = null;
  // A step may say which it is (data-idle on #kiosk-step): "off", a screen that is itself the
  // place to return to (the exit terminal's faces); "screen", a screen whose form holds only
  // buttons (the short time, though it has a form).
  function idleSeconds() {
    var step = document.getElementById("kiosk-step");
    var own = step ? step.dataset.idle : "";
    if (own === "off") return 0;
    var onForm = own !== "screen" && step && step.querySelector("form:not([data-idle-submit])");
    return parseInt((onForm ? body.dataset.formIdleSeconds : body.dataset.idleSeconds) || "0", 10);
  }
  function leave() {
    // A page that must end something first (the terminal setup ends the staff session
    // signed in on this kiosk) names the form to send instead.
    var form = document.querySelector("form[data-idle-submit]");
    if (form) form.submit(); else window.location.replace(homeUrl);
  }
  function warn(left) {
    if (!overlay) { idleTimer = setTimeout(leave, left * 1000); return; }
    overlay.hidden = false;
    countdown.textContent = left;
    tickTimer = setInterval(function () {
      left -= 1;
      if (left <= 0) { clearInterval(tickTimer); leave(); return; }
      countdown.textContent = left;
    }, 1000);
  }
  function armIdle() {
    var total = idleSeconds();
    clearTimeout(idleTimer);
    clearInterval(tickTimer);
    if (overlay) overlay.hidden = true;
    if (!total || !homeUrl) return;
    // at most half the idle time, so that a screen never opens with the warning on it
    var warning = Math.min(parseInt(body.dataset.idleWarningSeconds || "0", 10), Math.floor(total / 2));
    idleTimer = setTimeout(function () { warn(warning); }, (total - warning) * 1000);
  }
  ["pointerdown", "keydown", "input", "htmx:afterSwap"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      // A tap on the overlay is handled by its click, so that the overlay is still there to
      // take the click: hidden at once, the tap would land on the button beneath it.
      if (!(overlay && e.target.closest && e.target.closest("#idle-warning"))) armIdle();
    }, true);
  });
  if (overlay) {
    overlay.addEventListener("click", function (e) { e.preventDefault(); armIdle(); });
  }
  armIdle();

  // ---- a step that came back with errors: its first error in view (else its top) ----
  // The summary at the top when the first error is on screen with it; else that error.
  function showFirstError() {
    var step = document.getElementById("kiosk-step");
    if (!step) return;
    var bad = step.querySelector(".has-error");
    var summary = step.querySelector(".error-summary");
    (summary || step).scrollIntoView({ block: "start", behavior: "instant" });
    if (!bad) return;
    var box = bad.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) bad.scrollIntoView({ block: "center", behavior: "instant" });
  }
  document.addEventListener("htmx:afterSwap", showFirstError);
  if (document.querySelector("#kiosk-step .error-summary")) showFirstError();  // a plain POST

  // ---- the error summary's links: to the field, centred, its input focused ----
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-error-link]");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    var field = target.closest(".field") || target;
    field.scrollIntoView({ block: "center", behavior: "instant" });
    var input = field.querySelector("input:not([type=hidden]), button");
    if (input && !input.closest("label.tile")) input.focus({ preventScroll: true });
  });

  // ---- quick-fill chips (e.g. wage 200 元): pressed while the field holds their value ----
  function fieldChanged(input) {
    document.querySelectorAll('[data-fill="' + input.id + '"]').forEach(function (chip) {
      chip.setAttribute("aria-pressed", chip.dataset.value === input.value.trim() ? "true" : "false");
    });
    var shown = document.querySelector('[data-shows="' + input.id + '"]');
    if (shown) shown.textContent = input.value ? readable(input.value) : shown.dataset.empty;
  }
  function readable(value) {  // 2026-12-01 -> 2026年12月1日; a time stays 07:30
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? m[1] + "年" + parseInt(m[2], 10) + "月" + parseInt(m[3], 10) + "日" : value;
  }
  function setField(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("input", function (e) {
    if (e.target.id) fieldChanged(e.target);
  });
  document.addEventListener("click", function (e) {
    var chip = e.target.closest && e.target.closest("[data-fill]");
    if (!chip) return;
    var input = document.getElementById(chip.dataset.fill);
    if (input) setField(input, chip.dataset.value);
  });

  // ---- "其他日期" / "其他时间": open and close a picker ----
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-toggle]");
    if (!button) return;
    var picker = document.getElementById(button.dataset.toggle);
    picker.hidden = !picker.hidden;
    button.setAttribute("aria-expanded", picker.hidden ? "false" : "true");
    if (!picker.hidden && picker.dataset.monthPicker) drawMonth(picker, null);
  });

  // ---- the month picker: one month of day buttons, tap only, within data-min..data-max ----
  function iso(y, m, d) {
    return y + "-" + (m < 9 ? "0" : "") + (m + 1) + "-" + (d < 10 ? "0" : "") + d;
  }
  function drawMonth(picker, month) {  // month: "YYYY-MM", default the chosen or the first day
    var input = document.getElementById(picker.dataset.monthPicker);
    var min = picker.dataset.min, max = picker.dataset.max;
    var start = month || ((input.value || min).slice(0, 7));
    var y = parseInt(start.slice(0, 4), 10), m = parseInt(start.slice(5, 7), 10) - 1;
    var first = new Date(y, m, 1), days = new Date(y, m + 1, 0).getDate();
    var prev = iso(m === 0 ? y - 1 : y, (m + 11) % 12, 1).slice(0, 7);
    var next = iso(m === 11 ? y + 1 : y, (m + 1) % 12, 1).slice(0, 7);
    var html = '<div class="month-head">' +
      '<button type="button" class="chip" data-month="' + prev + '"' + (prev < min.slice(0, 7) ? " disabled" : "") + '>‹ 上个月</button>' +
      '<b>' + y + "年" + (m + 1) + "月</b>" +
      '<button type="button" class="chip" data-month="' + next + '"' + (next > max.slice(0, 7) ? " disabled" : "") + '>下个月 ›</button></div>' +
      '<div class="month-grid">';
    ["一", "二", "三", "四", "五", "六", "日"].forEach(function (w) { html += '<span class="weekday">' + w + "</span>"; });
    for (var pad = (first.getDay() + 6) % 7; pad > 0; pad--) html += "<span></span>";
    for (var d = 1; d <= days; d++) {
      var value = iso(y, m, d);
      html += '<button type="button" class="day" data-day="' + value + '"' +
        (value < min || value > max ? " disabled" : "") +
        ' aria-pressed="' + (value === input.value ? "true" : "false") + '"' +
        ' aria-label="' + readable(value) + '">' + d + "</button>";
    }
    picker.innerHTML = html + "</div>";
  }
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-month-picker] [data-month], [data-month-picker] [data-day]");
    if (!el || el.disabled) return;
    var picker = el.closest("[data-month-picker]");
    if (el.dataset.month) { drawMonth(picker, el.dataset.month); return; }
    setField(document.getElementById(picker.dataset.monthPicker), el.dataset.day);
    picker.hidden = true;
    var toggle = document.querySelector('[data-toggle="' + picker.id + '"]');
    if (toggle) toggle.setAttribute("aria-expanded", "false");
  });

  // ---- the time picker: an hour (24-hour clock), then the minutes ----
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-time-picker] [data-time-hour], [data-time-picker] [data-time-minute]");
    if (!el) return;
    var picker = el.closest("[data-time-picker]");
    var input = document.getElementById(picker.dataset.timePicker);
    var parts = (input.value || "08:00").split(":");
    if (el.dataset.timeHour) parts[0] = el.dataset.timeHour; else parts[1] = el.dataset.timeMinute;
    setField(input, parts[0] + ":" + parts[1]);
    picker.querySelectorAll("[data-time-hour]").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.timeHour === parts[0] ? "true" : "false"); });
    picker.querySelectorAll("[data-time-minute]").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.timeMinute === parts[1] ? "true" : "false"); });
  });

  // ---- a slip scanner types like a keyboard: into the scan field (data-scan) whatever has
  // the focus (the kiosk has no keyboard: every key is the scanner's; the on-screen panel
  // fills its fields without key events), and its Enter presses that field's button (识别) ----
  document.addEventListener("keydown", function (e) {
    var scan = document.querySelector("input[data-scan]");
    if (!scan || !scan.offsetParent) return;
    var active = document.activeElement;
    if (active === scan && e.key === "Enter") {
      e.preventDefault();
      var button = document.getElementById(scan.dataset.scan);
      if (button) button.click();
      return;
    }
    if (active !== scan && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      scan.value = "";  // a new scan replaces what the field held
      scan.focus();
    }
  }, true);

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
