// The hall's clock on every screen: each [data-clock] element shows the SERVER's time in the
// hall's time zone, never the terminal's own clock or zone. The server writes its time as epoch
// milliseconds in data-clock-now (on the clock, and on any region it re-renders, e.g. the
// display's polled board) and the zone in data-clock-zone; this keeps the offset between the
// server's clock and the terminal's and counts on from there. 24-hour: "12月1日 14:05";
// data-clock="long" adds the weekday: "12月1日 星期二 14:05".
(function () {
  "use strict";
  var offset = 0;  // server time minus terminal time (ms)
  var zone = "Asia/Shanghai";
  var format = null;
  var seen = 0;  // the latest server time read so far

  // Read each server time once, when it arrives: the newest one on the page sets the offset.
  function sync() {
    document.querySelectorAll("[data-clock-now]").forEach(function (el) {
      var now = Number(el.getAttribute("data-clock-now"));
      if (now > seen) { seen = now; offset = now - Date.now(); }
      var z = el.getAttribute("data-clock-zone");
      if (z && z !== zone) { zone = z; format = null; }
    });
  }

  function parts(ms) {
    try {
      format = format || new Intl.DateTimeFormat("zh-CN", {
        timeZone: zone, month: "numeric", day: "numeric", weekday: "long",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      });
      var p = {};
      format.formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = part.value; });
      return { month: Number(p.month), day: Number(p.day), weekday: p.weekday,
               hour: p.hour, minute: p.minute };
    } catch (e) {  // no time-zone data: the hall's fixed +08:00
      var d = new Date(ms + 8 * 3600 * 1000);
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: "星期" + "日一二三四五六"[d.getUTCDay()],
               hour: pad(d.getUTCHours()), minute: pad(d.getUTCMinutes()) };
    }
  }

  function tick() {
    var p = parts(Date.now() + offset);
    var day = p.month + "月" + p.day + "日 ";
    var time = p.hour + ":" + p.minute;
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      el.textContent = day + (el.getAttribute("data-clock") === "long" ? p.weekday + " " : "") + time;
    });
  }

  sync();
  // A re-rendered region carries the server's time of that moment: set the clock by it.
  document.addEventListener("htmx:afterSwap", function () { sync(); tick(); });
  tick();
  setInterval(tick, 1000);
})();
