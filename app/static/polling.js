// Polled regions (hx-trigger="every …", marked data-poll-notice="ID of their notice"): a
// failed poll — an error status, no answer, or none within POLL_TIMEOUT_MS — swaps nothing,
// so the last good content stays, and the notice ("连接中断") shows until a poll succeeds.
// htmx goes on polling an element as long as it is on the page. Used by the hall display
// and the staff screens; forms keep the page's own htmx response handling. A 401 with
// HX-Redirect (login expired) is followed by htmx before any of this runs.
(function () {
  "use strict";
  var POLL_TIMEOUT_MS = 5000;

  function region(detail) {
    // the element that sent the request (htmx:configRequest has no requestConfig yet)
    var elt = (detail.requestConfig || detail).elt;
    return elt && elt.hasAttribute("data-poll-notice") ? elt : null;
  }

  function showLost(elt, lost) {
    var notice = document.getElementById(elt.getAttribute("data-poll-notice"));
    if (notice) notice.hidden = !lost;
  }

  document.addEventListener("htmx:configRequest", function (e) {
    if (region(e.detail)) e.detail.timeout = POLL_TIMEOUT_MS;
  });

  document.addEventListener("htmx:beforeSwap", function (e) {
    var elt = region(e.detail);
    if (!elt) return;
    var ok = e.detail.xhr.status >= 200 && e.detail.xhr.status < 300;
    if (!ok) e.detail.shouldSwap = false;
    showLost(elt, !ok);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var elt = region(e.detail);
      if (elt) showLost(elt, true);
    });
  });
})();
