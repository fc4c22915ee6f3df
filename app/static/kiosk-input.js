// The kiosk's on-screen input panel (#keypad, kiosk_templates/_macros/input_panel.html).
// Every <input data-input="KIND"> opens it with the keys for its kind:
//   name, text: pinyin keyboard with a candidate bar (the server orders the candidates:
//               POST /kiosk/input/pinyin), a handwriting pad (POST /kiosk/input/handwriting),
//               and for text also digits and symbols ("3号楼");
//   id, phone, money, digits: the digit keypad (X for ID numbers, . for money);
//   uscc: digits and the letters of a 统一社会信用代码 (no I O Z S V).
// ID and phone numbers are shown grouped (6-8-4, 3-4-4) in the field itself; the server
// removes spaces. The fields stay real inputs: a physical keyboard and a system IME work.
//
// No tap is lost to a moving layout: opening the panel reserves room at the foot of the
// page (portrait) and that room stays until the step changes, so closing the panel (a tap
// on 下一步 moves the focus) never shortens the page under the finger.
(function () {
  "use strict";
  var panel = document.getElementById("keypad");
  if (!panel) return;
  var body = document.body;
  var readout = panel.querySelector(".panel-readout");
  var candBar = panel.querySelector(".cand-bar");
  var candList = panel.querySelector(".cand-list");
  var tabs = panel.querySelector(".panel-tabs");
  var canvas = panel.querySelector(".hand-canvas");
  var handUnavailable = panel.querySelector(".hand-unavailable");

  var KINDS = {
    name: { modes: ["pinyin", "hand"] },
    text: { modes: ["pinyin", "hand", "symbols"] },
    id: { body: "digits", max: 18, groups: [6, 8, 4], counter: true, x: true },
    phone: { body: "digits", max: 11, groups: [3, 4, 4], counter: true },
    money: { body: "digits", max: 7, dot: true },
    digits: { body: "digits", max: 6 },
    uscc: { body: "alnum", max: 18, counter: true }
  };

  var target = null, kind = null, spec = null, mode = null;
  var typed = "";          // pinyin letters not yet turned into characters
  var shown = null;        // the candidate page shown: {q, page, pages, candidates}
  var strokes = [], stroke = null;
  var seq = 0, cache = new Map();
  var reserved = 0;

  // ---- opening, closing, the room at the foot of the page -------------------------------
  function open(input) {
    if (target !== input) { typed = ""; strokes = []; }
    target = input;
    kind = input.dataset.input;
    spec = KINDS[kind] || KINDS.text;
    panel.hidden = false;
    if (spec.body) showBody(spec.body); else setMode(spec.modes.indexOf(mode) >= 0 ? mode : "pinyin");
    regroup();
    refresh();
    reserve();
    input.scrollIntoView({ block: "center", behavior: "instant" });
  }
  function close() {
    panel.hidden = true;
    target = null; typed = ""; strokes = []; shown = null;
  }
  function reserve() {
    // Only grows: the page never gets shorter while this step is shown.
    var h = panel.offsetHeight;
    if (h > reserved) {
      reserved = h;
      body.style.setProperty("--panel-room", h + "px");
    }
    body.classList.add("panel-room");
  }
  document.addEventListener("htmx:beforeSwap", function () {
    close();
    reserved = 0;
    body.classList.remove("panel-room");
  });

  document.addEventListener("focusin", function (e) {
    var el = e.target;
    if (el.matches && el.matches("input[data-input]")) open(el);
    else if (el.closest && !el.closest("#keypad")) close();
  });
  document.addEventListener("pointerdown", function (e) {
    // keep focus (and the caret) in the field while a key is pressed or a stroke drawn
    if (e.target.closest && e.target.closest("#keypad")) e.preventDefault();
  });

  // ---- modes and bodies ------------------------------------------------------------------
  function showBody(name) {
    panel.querySelectorAll(".panel-body").forEach(function (b) { b.hidden = b.dataset.body !== name; });
    var textual = name === "pinyin" || name === "hand" || name === "symbols";
    tabs.hidden = !textual;
    candBar.hidden = !(name === "pinyin" || name === "hand");
    panel.dataset.body = name;
    if (name === "digits") {
      panel.querySelector('[data-key="X"]').disabled = !spec.x;
      panel.querySelector('[data-key="."]').disabled = !spec.dot;
    }
    if (textual) {
      tabs.querySelectorAll("[data-mode]").forEach(function (t) {
        t.hidden = spec.modes.indexOf(t.dataset.mode) < 0;
        t.setAttribute("aria-pressed", t.dataset.mode === name ? "true" : "false");
      });
      panel.querySelector(".key-dot-name").hidden = kind !== "name";
      panel.querySelector('[data-body="pinyin"] .key-space').hidden = kind === "name";
    }
  }
  function setMode(m) {
    mode = m;
    typed = ""; strokes = [];
    showBody(m);
    if (m === "hand") startPad();
    refresh();
  }

  // ---- the field's value ----------------------------------------------------------------
  function fire() { target.dispatchEvent(new Event("input", { bubbles: true })); }
  function raw() { return target.value.replace(/\s+/g, ""); }
  function grouped(text) {
    if (!spec.groups) return text;
    var parts = [], i = 0;
    spec.groups.forEach(function (n, k) {
      var part = k === spec.groups.length - 1 ? text.slice(i) : text.slice(i, i + n);
      if (part) parts.push(part);
      i += n;
    });
    return parts.join(" ");
  }
  function setRaw(text) {
    target.value = grouped(text);
    fire();
    refresh();
  }
  function regroup() {
    if (!target || !spec.groups) return;
    var at = target.selectionStart, atEnd = at === null || at === target.value.length;
    if (atEnd && target.value !== grouped(raw())) target.value = grouped(raw());
  }
  function insertText(text) {
    var v = target.value;
    var s = target.selectionStart === null ? v.length : target.selectionStart;
    var e = target.selectionEnd === null ? v.length : target.selectionEnd;
    var max = target.maxLength > 0 ? target.maxLength : 200;
    var next = v.slice(0, s) + text + v.slice(e);
    if (next.length > max) return false;
    target.value = next;
    target.setSelectionRange(s + text.length, s + text.length);
    fire();
    return true;
  }
  function deleteBack() {
    var v = target.value;
    var s = target.selectionStart === null ? v.length : target.selectionStart;
    var e = target.selectionEnd === null ? v.length : target.selectionEnd;
    if (s === e && s > 0) s -= 1;
    target.value = v.slice(0, s) + v.slice(e);
    target.setSelectionRange(s, s);
    fire();
  }
  // a physical keyboard typing an ID or phone number: grouped as typed (caret at the end)
  document.addEventListener("input", function (e) {
    if (e.isTrusted && e.target === target) { regroup(); refresh(); }
  });

  // ---- the readout and the candidate bar -------------------------------------------------
  function refresh() {
    if (!target) return;
    if (spec.body) {
      readout.textContent = spec.counter ? "已输入 " + raw().length + "/" + spec.max + " 位" : "";
    } else if (mode === "pinyin") {
      readout.textContent = typed || "点字母拼音，再点汉字";
    } else if (mode === "hand") {
      readout.textContent = panel.dataset.handwriting === "1" ? "写一个字，再点汉字" : "";
    } else {
      readout.textContent = "";
    }
    if (!spec.body && mode === "pinyin") {
      if (typed) loadPage(typed, 0); else render(null);
    }
  }
  function nameStart() {
    if (kind !== "name") return false;
    var before = target.value.slice(0, target.selectionStart === null ? target.value.length : target.selectionStart);
    return before.trim() === "";
  }
  function loadPage(q, page) {
    var name = nameStart() ? 1 : 0;
    var key = q + "|" + name + "|" + page;
    var mine = ++seq;
    if (cache.has(key)) { render(cache.get(key)); return; }
    candList.setAttribute("aria-busy", "true");
    candList.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    // A POST: what is typed (often a name) stays out of URLs, logs and caches.
    fetch(panel.dataset.pinyinUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": panel.dataset.csrf },
      body: new URLSearchParams({ q: q, name: String(name), page: String(page) })
    }).then(function (r) {
      if (r.status === 503) {  // the tables are still being built: ask again in a second
        if (mine === seq) {
          readout.textContent = "候选字正在准备，请稍候";
          setTimeout(function () { if (mine === seq) loadPage(q, page); }, 1000);
        }
        return null;
      }
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data) return;
      cache.set(key, data);
      if (mine === seq) render(data);
    }).catch(function () { if (mine === seq) readout.textContent = "候选字暂时取不到，请重试或用手写"; });
  }
  function render(data) {
    shown = data;
    candList.removeAttribute("aria-busy");
    candList.textContent = "";
    var items = data ? data.candidates : [];
    items.forEach(function (c, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "key cand" + (c[0].length > 1 ? " cand-word" : "");
      b.dataset.cand = String(i);
      b.textContent = c[0];
      candList.appendChild(b);
    });
    panel.querySelector('[data-act="prev"]').disabled = !data || data.page <= 0;
    panel.querySelector('[data-act="next"]').disabled = !data || data.page >= data.pages - 1;
  }
  function pick(i) {
    var c = shown && shown.candidates[i];
    if (!c || !insertText(c[0])) return;
    if (mode === "hand") {
      strokes = []; drawAll(); render(null);
      return;
    }
    typed = typed.slice(c[1]);
    refresh();
  }

  // ---- keys ------------------------------------------------------------------------------
  // A finger's key press counts when it lifts (pointerup) over the key it went down on:
  // the browser may swallow the click of a tap that follows a quick stroke on the pad (it
  // takes it for stopping a fling). The click the browser sends after that pointerup is then
  // dropped wherever it lands: the press may have closed or shrunk the panel, and the click
  // must not reach what was beneath it. It comes before the next pointerdown, which ends
  // the guard. A mouse or a keyboard presses by click.
  var pressed = null, clickGuard = 0;
  panel.addEventListener("pointerdown", function (e) {
    pressed = e.pointerType === "mouse" ? null : e.target.closest && e.target.closest("button");
  });
  panel.addEventListener("pointerup", function (e) {
    var b = pressed;
    pressed = null;
    if (!b || e.pointerType === "mouse") return;
    var over = document.elementFromPoint(e.clientX, e.clientY);
    if (!over || over.closest("button") !== b) return;
    clickGuard = Date.now() + 1000;
    press(b);
  });
  panel.addEventListener("pointercancel", function () { pressed = null; });
  document.addEventListener("pointerdown", function () { clickGuard = 0; }, true);
  document.addEventListener("click", function (e) {
    if (Date.now() < clickGuard) {
      clickGuard = 0;
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);
  panel.addEventListener("click", function (e) {
    press(e.target.closest && e.target.closest("button"));
  });
  function press(el) {
    if (!el || el.disabled || !target) return;
    var t = target;
    if (el.dataset.mode) setMode(el.dataset.mode);
    else if (el.dataset.key) digitKey(el.dataset.key);
    else if (el.dataset.letter) { if (typed.length < 30) { typed += el.dataset.letter; refresh(); } }
    else if (el.dataset.cand) pick(parseInt(el.dataset.cand, 10));
    else if (el.dataset.ins) insertKey(el.dataset.ins);
    else if (el.dataset.act) act(el.dataset.act);
    if (target === t) t.focus();
  }
  function digitKey(k) {
    var v = raw();
    if (v.length < Math.min(spec.max || 20, target.maxLength > 0 ? target.maxLength : 99)) setRaw(v + k);
  }
  function insertKey(text) {
    if (spec.body === "alnum") { if (raw().length < spec.max) setRaw(raw() + text); return; }
    insertText(text);
  }
  function act(a) {
    if (a === "done") { done(); return; }
    if (a === "prev" || a === "next") {
      if (shown) loadPage(shown.q, shown.page + (a === "next" ? 1 : -1));
      return;
    }
    if (a === "rewrite") { strokes = []; drawAll(); render(null); return; }
    if (a === "dot") { if (!typed) insertText("·"); return; }
    if (a === "space") {
      if (typed && shown && shown.candidates.length) pick(0);
      else if (!typed) insertText(" ");
      return;
    }
    var keypad = spec.body === "alnum" || spec.body === "digits";  // the field holds a number or code
    if (a === "back") {
      if (keypad) setRaw(raw().slice(0, -1));
      else if (mode === "pinyin" && typed) { typed = typed.slice(0, -1); refresh(); }
      else if (mode === "hand" && strokes.length) { strokes.pop(); drawAll(); recognise(); }
      else deleteBack();
      return;
    }
    if (a === "clear") {
      typed = "";
      if (keypad) setRaw("");
      else { target.value = ""; fire(); refresh(); }
    }
  }
  function done() {
    var t = target;
    close();
    t.blur();
  }

  // ---- handwriting pad -------------------------------------------------------------------
  var ctx = canvas && canvas.getContext("2d");
  function startPad() {
    var ok = panel.dataset.handwriting === "1";
    handUnavailable.hidden = ok;
    canvas.hidden = !ok;  // the keys stay: 删除 and 完成 still work
    panel.querySelector('[data-act="rewrite"]').hidden = !ok;
    if (!ok) { readout.textContent = ""; return; }
    var r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(r.width * dpr);
    canvas.height = Math.round(r.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawAll();
    render(null);
  }
  function drawAll() {
    if (!ctx) return;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = "#d0c8b4"; ctx.lineWidth = 2; ctx.setLineDash([10, 10]);
    ctx.beginPath(); ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, h); ctx.moveTo(0, h / 2); ctx.lineTo(w, h / 2); ctx.stroke();
    ctx.setLineDash([]); ctx.strokeStyle = "#111"; ctx.lineWidth = 8; ctx.lineCap = "round"; ctx.lineJoin = "round";
    strokes.forEach(function (s) {
      ctx.beginPath();
      s.forEach(function (p, i) { if (i) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]); });
      if (s.length === 1) ctx.lineTo(s[0][0] + 0.1, s[0][1]);
      ctx.stroke();
    });
  }
  function point(e) {
    var r = canvas.getBoundingClientRect();
    var x = Math.round(Math.min(Math.max(e.clientX - r.left, 0), r.width));
    var y = Math.round(Math.min(Math.max(e.clientY - r.top, 0), r.height));
    return [x, y];
  }
  // The server's limits (app/domain/handwriting.py): strokes, points in one, points in all.
  var limits = (panel.dataset.handLimits || "40 400 4000").split(" ").map(Number);
  function pointsInAll() {
    return strokes.reduce(function (n, s) { return n + s.length; }, 0);
  }
  if (canvas) {
    canvas.addEventListener("pointerdown", function (e) {
      if (strokes.length >= limits[0] || pointsInAll() >= limits[2]) return;
      canvas.setPointerCapture(e.pointerId);
      stroke = [point(e)];
      strokes.push(stroke);
      drawAll();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!stroke || stroke.length >= limits[1] || pointsInAll() >= limits[2]) return;
      var p = point(e), last = stroke[stroke.length - 1];
      if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) < 3) return;
      stroke.push(p);
      drawAll();
    });
    var end = function () {
      if (!stroke) return;
      stroke = null;
      recognise();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }
  function recognise() {
    if (!strokes.length) { render(null); return; }
    var mine = ++seq;
    fetch(panel.dataset.handwritingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": panel.dataset.csrf },
      body: JSON.stringify({ width: Math.round(canvas.clientWidth), height: Math.round(canvas.clientHeight), strokes: strokes })
    }).then(function (r) {
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      // a refusal that is not ours (a proxy's page, a 413) still gets a message in Chinese
      if (!json) return { status: r.status, data: { error: "请重写这个字" } };
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).then(function (res) {
      if (mine !== seq) return;
      if (res.status === 503) { panel.dataset.handwriting = "0"; startPad(); return; }
      if (res.status !== 200) { readout.textContent = res.data.error || "请重写"; return; }
      render({ q: "", page: 0, pages: 1, candidates: res.data.candidates.map(function (c) { return [c, 0]; }) });
    }).catch(function () {
      if (mine === seq) readout.textContent = "手写识别暂时没有响应，请重写或用拼音输入";
    });
  }
})();
