// Hall display: a chime, then the spoken call, for each new call and each recall. The board
// refreshes itself through htmx polling (polling.js keeps the last good board when a refresh
// fails); a card whose data-call-key is new is announced.
//
// What is heard (the badge #sound-state always says which):
// - the server's spoken call (body data-speech="server": espeak-ng renders a WAV per call,
//   data-announce-audio is its URL), played after the chime through the same AudioContext;
// - else, or when fetching it fails, the browser's own Chinese voice where it has one;
// - else the chime only.
// Browsers start with sound locked: a kiosk browser started with
// --autoplay-policy=no-user-gesture-required plays at once; otherwise one tap on the
// "点击屏幕开启声音" overlay unlocks it until the page is reloaded. Nothing is fetched from
// another site: the chime is generated here.
(function () {
  "use strict";
  var body = document.body;
  var badge = document.getElementById("sound-state");
  var unlock = document.getElementById("sound-unlock");
  var seen = {};
  var audio = null;
  var queue = Promise.resolve();  // one announcement at a time, in order
  var serverFailed = false;

  try {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  } catch (e) { audio = null; }  // no audio at all: the screen still shows every call

  function soundOn() { return !!audio && audio.state === "running"; }

  function chineseVoice() {
    if (!window.speechSynthesis) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^(zh|cmn)([-_](CN|Hans|SG))?/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }

  function speechMode() {
    if (body.dataset.speech === "server" && !serverFailed) return "server";
    return chineseVoice() ? "browser" : "chime";
  }

  function show() {
    var on = soundOn();
    var mode = on ? speechMode() : "off";
    var text = "🔇 声音未开启";
    var kind = "sound-off";
    if (!audio) text = "🔇 无法播放声音";
    else if (mode === "server") { text = "🔊 语音叫号已开启"; kind = "sound-on"; }
    else if (mode === "browser") { text = "🔊 语音叫号已开启（浏览器语音）"; kind = "sound-on"; }
    else if (mode === "chime") {
      text = serverFailed ? "🔔 仅提示音：语音播报出错" : "🔔 仅提示音：没有中文语音";
      kind = "sound-limited";
    }
    badge.textContent = text;
    badge.className = "sound-state " + kind;
    if (unlock) unlock.hidden = on || !audio;
    body.dataset.sound = mode;  // off, server, browser or chime: for staff checking and tests
  }

  // Two rising tones; returns the AudioContext time at which they end.
  function chime() {
    var start = audio.currentTime + 0.05;
    [660, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var at = start + i * 0.35;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.6);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.65);
    });
    return start + 1.0;
  }

  // What was last said, and how many calls were spoken since the page loaded (staff checking
  // the display, and the tests, read these from <body>).
  function spoken(call) {
    body.dataset.lastSpoken = call.text;
    body.dataset.spokenCount = String(Number(body.dataset.spokenCount || 0) + 1);
  }

  function later(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function playServer(call, after) {
    return fetch(call.audio, { credentials: "same-origin" }).then(function (resp) {
      if (!resp.ok) throw new Error("announcement " + resp.status);
      return resp.arrayBuffer();
    }).then(function (data) {
      return audio.decodeAudioData(data);
    }).then(function (buffer) {
      serverFailed = false;
      show();
      spoken(call);
      var source = audio.createBufferSource();
      source.buffer = buffer;
      source.connect(audio.destination);
      var done = new Promise(function (resolve) { source.onended = resolve; });
      source.start(Math.max(after, audio.currentTime));
      // never wait forever (a suspended context ends nothing)
      return Promise.race([done, later((after - audio.currentTime + buffer.duration + 2) * 1000)]);
    });
  }

  function playBrowser(call, after) {
    var voice = chineseVoice();
    if (!voice || !call.text) return later((after - audio.currentTime) * 1000);
    return later(Math.max(0, after - audio.currentTime) * 1000).then(function () {
      return new Promise(function (resolve) {
        var say = new SpeechSynthesisUtterance(call.text);
        say.voice = voice;
        say.lang = voice.lang;
        say.rate = 0.9;
        say.onend = say.onerror = resolve;
        window.speechSynthesis.speak(say);
        spoken(call);
        setTimeout(resolve, 20000);
      });
    });
  }

  function play(call) {
    var after = chime();
    if (call.audio && body.dataset.speech === "server") {
      return playServer(call, after).catch(function () {
        serverFailed = true;  // espeak-ng failed on the server: the browser's voice, or the chime
        show();
        return playBrowser(call, after);
      });
    }
    return playBrowser(call, after);
  }

  function announce(call) {
    body.dataset.lastAnnounced = call.text;  // visible to tests and to staff debugging
    if (!soundOn()) return;
    queue = queue.then(function () { return play(call); }).catch(function () { /* next one */ });
  }

  function calls() {
    return Array.prototype.map.call(document.querySelectorAll("[data-call-key]"), function (el) {
      return { key: el.dataset.callKey, text: el.dataset.announce, audio: el.dataset.announceAudio };
    });
  }

  calls().forEach(function (c) { seen[c.key] = true; });  // announce only what is new

  function calledAt(c) { return Number(c.key.split("-")[1]) || 0; }

  document.addEventListener("htmx:afterSwap", function () {
    // the cards are in window order; several new calls are announced in the order called
    calls().filter(function (c) { return !seen[c.key]; })
      .sort(function (a, b) { return calledAt(a) - calledAt(b); })
      .forEach(function (c) { seen[c.key] = true; announce(c); });
  });

  if (unlock) {
    unlock.addEventListener("click", function () {
      if (!audio) return;
      audio.resume().then(show, show);  // refused: the badge stays 声音未开启
      // speechSynthesis also wants a tap once: an empty utterance unlocks it
      if (window.speechSynthesis) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    });
  }
  if (audio) audio.onstatechange = show;
  if (window.speechSynthesis) window.speechSynthesis.onvoiceschanged = show;
  show();
})();
