// A page meant for paper (the A4 mediation agreement): its 打印 button opens the browser's
// print dialog (a script file of ours: the pages allow no inline script).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
})();
