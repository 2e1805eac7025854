// Siwanda: behaviour for every page. Loaded as a file (strict CSP: no inline scripts).
(function () {
  "use strict";

  // <form data-confirm="Are you sure?"> asks before it is sent; so does a submit button with
  // data-confirm-submit (for one of several buttons of a form). Listening in the capture phase,
  // a refusal stops the form's own handlers too.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm-submit")) ||
      event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // <select data-autosubmit> sends its form when changed (filters), when JavaScript runs.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit();
    }
  });

  // <span class="js-countdown" data-deadline="ISO moment" data-days="days left"
  // data-hours="hours left" data-closed="closed">: the time left, refreshed every minute.
  // Nothing while more than 14 days remain; hours in the last two days.
  var HOUR = 60 * 60 * 1000;
  var DAY = 24 * HOUR;

  function countdowns() {
    var now = Date.now();
    document.querySelectorAll(".js-countdown[data-deadline]").forEach(function (element) {
      // Python's isoformat() may give microseconds; Date.parse wants at most milliseconds.
      var iso = element.getAttribute("data-deadline").replace(/(\.\d{3})\d+/, "$1");
      var deadline = Date.parse(iso);
      if (isNaN(deadline)) {
        return;
      }
      var left = deadline - now;
      var text = "";
      if (left <= 0) {
        text = element.getAttribute("data-closed") || "";
      } else if (left <= 14 * DAY) {
        text = left >= 2 * DAY
          ? Math.floor(left / DAY) + " " + element.getAttribute("data-days")
          : Math.ceil(left / HOUR) + " " + element.getAttribute("data-hours");
      }
      if (element.textContent !== text) {
        element.textContent = text;
      }
    });
  }

  if (document.querySelector(".js-countdown[data-deadline]")) {
    countdowns();
    window.setInterval(countdowns, 60 * 1000);
  }
})();
