// Staff screens: a double tap sends one request. Forms that htmx sends carry their own guard
// (hx-disabled-elt="find button" hx-sync="this:drop" on the form). A form the browser sends
// itself loads another page: the first submit disables its buttons, and nothing else is
// sent from this page (no other form, no poll that would swap in fresh buttons) meanwhile.
(function () {
  "use strict";
  var sent = false;

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.method !== "post") return;  // htmx sends it, or a GET
    if (sent) { e.preventDefault(); return; }
    sent = true;
    // after this event, so that the browser has taken the form's data with the buttons on
    setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("data-disabled-by-staff", "");
      });
    });
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    if (sent) e.preventDefault();
  });

  // A page shown again from the back-forward cache can send again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) return;
    sent = false;
    document.querySelectorAll("[data-disabled-by-staff]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("data-disabled-by-staff");
    });
  });
})();
