// Signature pads (the mediation agreement's signing page, staff/dispute_agreement.html).
// Each <div data-signature="FIELD"> holds a <canvas>, a hidden input named FIELD and a
// 清除 button (data-sig-clear). A finger or a stylus draws (pointer events; the canvas has
// touch-action: none, so drawing never scrolls the page); after each stroke the drawing is
// written to the hidden input as a PNG data URL (transparent, dark ink), which the server
// checks (an empty box is refused). One pointer at a time: a palm resting beside the
// finger draws nothing. A drawing sent back with the page (another field was wrong) is
// shown again; the canvas follows its box when the screen turns.
(function () {
  "use strict";
  var INK = "#111";
  var WIDTH = 4;

  function Pad(root) {
    this.root = root;
    this.canvas = root.querySelector("canvas");
    this.input = root.querySelector('input[type=hidden][name="' + root.dataset.signature + '"]');
    this.state = root.querySelector(".sig-state");
    this.ctx = null;
    this.pointer = null;
    this.last = null;
    this.size();
    this.restore();
    this.show();
    var pad = this;
    this.canvas.addEventListener("pointerdown", function (e) { pad.down(e); });
    this.canvas.addEventListener("pointermove", function (e) { pad.move(e); });
    this.canvas.addEventListener("pointerup", function (e) { pad.up(e); });
    this.canvas.addEventListener("pointercancel", function (e) { pad.up(e); });
    this.canvas.addEventListener("contextmenu", function (e) { e.preventDefault(); });
    // 清除 on the finger's lift as well as on the click: a stroke lifted in full flight is a
    // fling to the browser, and the tap that comes while it lasts only stops it (no click).
    // Clearing twice is clearing once.
    var clear = root.querySelector("[data-sig-clear]");
    if (clear) {
      clear.addEventListener("click", function () { pad.clear(); });
      clear.addEventListener("pointerup", function (e) { if (e.pointerType !== "mouse") pad.clear(); });
    }
  }

  Pad.prototype.size = function () {
    var box = this.canvas.getBoundingClientRect();
    var width = Math.max(1, Math.min(1600, Math.round(box.width)));
    var height = Math.max(1, Math.min(800, Math.round(box.height)));
    if (this.canvas.width === width && this.canvas.height === height && this.ctx) return false;
    this.canvas.width = width;
    this.canvas.height = height;
    this.ctx = this.canvas.getContext("2d");
    this.ctx.lineCap = "round";
    this.ctx.lineJoin = "round";
    this.ctx.strokeStyle = INK;
    this.ctx.lineWidth = WIDTH;
    return true;
  };

  Pad.prototype.restore = function () {
    var saved = this.input.value;
    if (!/^data:image\/png;base64,/.test(saved)) return;
    var pad = this;
    var image = new Image();
    image.onload = function () {
      var c = pad.canvas;
      var scale = Math.min(c.width / image.width, c.height / image.height, 1);
      pad.ctx.drawImage(image, 0, 0, image.width * scale, image.height * scale);
    };
    image.src = saved;
  };

  Pad.prototype.point = function (e) {
    var box = this.canvas.getBoundingClientRect();
    return { x: (e.clientX - box.left) * this.canvas.width / box.width,
             y: (e.clientY - box.top) * this.canvas.height / box.height };
  };

  Pad.prototype.down = function (e) {
    if (this.pointer !== null) return;  // one finger at a time
    e.preventDefault();
    this.pointer = e.pointerId;
    try { this.canvas.setPointerCapture(e.pointerId); } catch (err) { /* already gone */ }
    this.last = this.point(e);
    this.dot(this.last);
  };

  Pad.prototype.move = function (e) {
    if (e.pointerId !== this.pointer) return;
    e.preventDefault();
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    if (!events.length) events = [e];
    for (var i = 0; i < events.length; i++) this.line(this.point(events[i]));
  };

  Pad.prototype.up = function (e) {
    if (e.pointerId !== this.pointer) return;
    this.pointer = null;
    this.last = null;
    this.save();
  };

  Pad.prototype.dot = function (p) {
    this.ctx.beginPath();
    this.ctx.arc(p.x, p.y, WIDTH / 2, 0, Math.PI * 2);
    this.ctx.fillStyle = INK;
    this.ctx.fill();
  };

  Pad.prototype.line = function (p) {
    this.ctx.beginPath();
    this.ctx.moveTo(this.last.x, this.last.y);
    this.ctx.lineTo(p.x, p.y);
    this.ctx.stroke();
    this.last = p;
  };

  Pad.prototype.save = function () {
    this.input.value = this.canvas.toDataURL("image/png");
    this.root.classList.add("sig-signed");
    this.show();
  };

  Pad.prototype.clear = function () {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.input.value = "";
    this.root.classList.remove("sig-signed");
    this.show();
  };

  Pad.prototype.show = function () {
    var signed = this.input.value !== "";
    this.root.classList.toggle("sig-signed", signed);
    if (this.state) this.state.textContent = signed ? this.state.dataset.done : this.state.dataset.empty;
  };

  // The screen turned or the window changed: a new canvas size, the drawing scaled into it.
  Pad.prototype.resize = function () {
    if (this.pointer !== null) return;
    if (this.size()) this.restore();
  };

  var pads = [];
  document.querySelectorAll("[data-signature]").forEach(function (root) { pads.push(new Pad(root)); });
  if (!pads.length) return;
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { pads.forEach(function (pad) { pad.resize(); }); }, 150);
  });
})();
