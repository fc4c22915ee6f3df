// The exit terminal (/kiosk/rate, app/kiosk/rating_routes.py): speaks each word tapped, masks the
// call-back phone once typed, and returns to the faces after the thanks. The idle return to
// the faces is kiosk.js's (data-home-url is the faces here); typing is kiosk-input.js's.
//
// Speech, for visitors who cannot read: every tap on a face, a role or a reason says its word
// (data-say: the key; data-say-text: the word); the thanks screen says its thanks when shown.
// - the browser's own Chinese voice where it has one (speechSynthesis);
// - else, where the server speaks (body data-speech="server": espeak-ng), the WAV of that
//   fixed word from /kiosk/rate/speech/<key>.wav (Debian's Chromium has no Chinese voice);
// - else silence, without an error.
// <body> records what was last said and how (data-said, data-said-by) for staff and tests.
(function () {
  "use strict";
  var body = document.body;
  var player = null;    // the one <audio> of the server's words
  var waiting = [];     // server words queued after the one playing
  var returnTimer = null, countTimer = null;

  // ---- speech ----------------------------------------------------------------------------
  function chineseVoice() {
    if (!window.speechSynthesis) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^(zh|cmn)([-_](CN|Hans|SG))?/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }
  function said(key, by) {
    body.dataset.said = key;
    body.dataset.saidBy = by;
    body.dataset.saidCount = String(Number(body.dataset.saidCount || 0) + 1);
  }
  function playNext() {
    var key = waiting.shift();
    if (!key) return;
    player.src = body.dataset.speechUrl.replace("KEY", encodeURIComponent(key));
    var started = player.play();
    if (started && started.catch) started.catch(function () { playNext(); });  // locked or 503: silence
  }
  // A tap says its word at once (cutting off what was being said); a screen's own words
  // (the thanks) wait for the word before them.
  function say(key, text, queued) {
    if (!key) return;
    var voice = chineseVoice();
    if (voice) {
      if (!queued) window.speechSynthesis.cancel();
      var words = new SpeechSynthesisUtterance(text);
      words.voice = voice;
      words.lang = voice.lang;
      words.rate = 0.9;
      window.speechSynthesis.speak(words);
      said(key, "browser");
      return;
    }
    if (body.dataset.speech !== "server") { said(key, "none"); return; }
    if (!player) {
      player = new Audio();
      player.addEventListener("ended", playNext);
      player.addEventListener("error", playNext);
    }
    var playing = !player.paused && !player.ended;
    if (!queued) waiting = [];
    waiting.push(key);
    if (!queued || !playing) { player.pause(); playNext(); }
    said(key, "server");
  }
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("a[data-say], button[data-say]");
    if (el) say(el.dataset.say, el.dataset.sayText, false);
  });
  document.addEventListener("change", function (e) {  // a reason chip, toggled either way
    var el = e.target;
    if (el.matches && el.matches("input[data-say]")) say(el.dataset.say, el.dataset.sayText, false);
  });

  // ---- the call-back phone: masked once typed --------------------------------------------
  // #phone (data-phone-for) is where the keypad types; the hidden field it names holds the
  // digits that are sent. Out of the field, #phone shows 138****5678 (masking.mask_phone).
  function masked(digits) {
    if (digits.length < 8) return digits.replace(/./g, "*");
    return digits.slice(0, 3) + digits.slice(3, -4).replace(/./g, "*") + digits.slice(-4);
  }
  function phoneParts(el) {
    var held = el && el.dataset.phoneFor && document.getElementById(el.dataset.phoneFor);
    return held ? held : null;
  }
  // Capture: before kiosk-input.js opens the panel on it, the field holds the digits again.
  document.addEventListener("focusin", function (e) {
    var held = phoneParts(e.target);
    if (held) e.target.value = held.value;
  }, true);
  document.addEventListener("input", function (e) {
    var held = phoneParts(e.target);
    if (held && document.activeElement === e.target) held.value = e.target.value.replace(/\s+/g, "");
  });
  document.addEventListener("focusout", function (e) {
    var held = phoneParts(e.target);
    if (held) e.target.value = masked(held.value);
  });

  // ---- the thanks: back to the faces after RATING_THANKS_SECONDS -----------------------------
  function shown() {
    clearTimeout(returnTimer);
    clearInterval(countTimer);
    var step = document.getElementById("kiosk-step");
    if (!step) return;
    if (step.dataset.sayOnShow) say(step.dataset.sayOnShow, step.dataset.sayText, true);
    var after = parseInt(step.dataset.returnAfter || "0", 10);
    if (!after) return;
    var count = step.querySelector("[data-countdown]");
    countTimer = setInterval(function () {
      after -= 1;
      if (count && after > 0) count.textContent = after;
    }, 1000);
    returnTimer = setTimeout(function () { window.location.replace(body.dataset.homeUrl); }, after * 1000);
  }
  document.addEventListener("htmx:afterSwap", shown);
  shown();
})();
