// The few behaviours every page shares, without inline scripts (CSP):
// - the phone menu opens and closes;
// - a form or button with data-confirm asks before an irreversible step.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var bar = toggle.closest(".topbar");
      var open = bar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var ask = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) {
      event.preventDefault();
    }
  }, true);
})();
