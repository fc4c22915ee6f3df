// Hall display: clock, chime and spoken call for each new call. The board refreshes itself
// through htmx polling; polling.js keeps the last good board and its "连接中断" note when a
// refresh fails. Sound is generated here (Web Audio) and speech uses the browser's own
// voices: nothing is fetched from the network.
(function () {
  "use strict";
  var seen = {};
  var soundOn = false;
  var toggle = document.getElementById("sound-toggle");
  var audio = null;

  function keys() {
    return Array.prototype.map.call(document.querySelectorAll("[data-call-key]"), function (el) {
      return { key: el.dataset.callKey, text: el.dataset.announce };
    });
  }
  keys().forEach(function (c) { seen[c.key] = true; });  // announce only what is new

  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (freq, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        var start = audio.currentTime + i * 0.35;
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.6);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.65);
      });
    } catch (e) { /* no audio device: the screen still shows the call */ }
  }

  function chineseVoice() {
    if (!window.speechSynthesis) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }

  function announce(text) {
    document.body.dataset.lastAnnounced = text;  // visible to tests and to staff debugging
    if (!soundOn) return;
    chime();
    var voice = chineseVoice();
    if (voice) {
      var say = new SpeechSynthesisUtterance(text);
      say.voice = voice;
      say.lang = voice.lang;
      say.rate = 0.9;
      setTimeout(function () { window.speechSynthesis.speak(say); }, 800);
    }
  }

  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.target.id !== "display-board" && !(e.detail && e.detail.elt && e.detail.elt.id === "display-board")) return;
    keys().forEach(function (c) {
      if (!seen[c.key]) { seen[c.key] = true; announce(c.text); }
    });
  });

  // Browsers allow sound only after a touch; a kiosk browser may start with
  // --autoplay-policy=no-user-gesture-required instead.
  if (toggle) {
    toggle.addEventListener("click", function () {
      soundOn = !soundOn;
      toggle.textContent = soundOn ? "🔊 叫号声音已开启" : "🔈 点击开启叫号声音";
      if (soundOn) chime();
    });
  }

  function tick() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var days = "日一二三四五六";
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      el.textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" +
        days[d.getDay()] + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    });
  }
  tick();
  setInterval(tick, 1000);
})();
