// A slip's rating page on the phone (public/rate.html): the reasons, comment and call-back
// phone belong to a bad face only. CSS hides them for a good face; here they are also
// disabled, so that what was typed for a bad face and then changed is not sent with a
// good one (which the server refuses), yet comes back if a bad face is picked again.
(function () {
  "use strict";
  var form = document.querySelector(".slip-rate-form");
  var bad = document.getElementById("rate-bad");
  if (!form || !bad) return;
  function sync() {
    bad.disabled = !form.querySelector(".slip-face-bad input:checked");
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "level") sync();
  });
  sync();
})();
