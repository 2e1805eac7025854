// Presentation-day timer: counts down each part of a presentation (e.g. presentation 7′,
// video 3′, questions 20′) one after the other. Loaded as a file (strict CSP).
(function () {
  "use strict";

  var root = document.getElementById("room-timer");
  var clock = document.getElementById("timer-clock");
  var label = document.getElementById("timer-part");
  var buttons = document.getElementById("timer-buttons");
  if (!root || !clock || !buttons) {
    return;
  }
  var parts = (root.getAttribute("data-parts") || "").split("|").filter(Boolean).map(function (p) {
    var i = p.lastIndexOf("=");
    return { name: p.slice(0, i), seconds: parseInt(p.slice(i + 1), 10) * 60 };
  });
  if (!parts.length) {
    return;
  }
  var index = 0;
  var left = parts[0].seconds;
  var ticking = null;

  function show() {
    var sign = left < 0 ? "−" : "";
    var abs = Math.abs(left);
    clock.textContent = sign + Math.floor(abs / 60) + ":" + ("0" + (abs % 60)).slice(-2);
    clock.classList.toggle("text-danger", left <= 0);
    label.textContent = parts[index].name + (left <= 0 ? " — " + root.getAttribute("data-msg-over") : "");
  }

  function button(text, handler) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-outline-secondary";
    element.textContent = text;
    element.addEventListener("click", handler);
    buttons.appendChild(element);
    return element;
  }

  var start = button(root.getAttribute("data-msg-start"), function () {
    if (ticking) {
      return;
    }
    ticking = window.setInterval(function () {
      left -= 1;
      show();
    }, 1000);
    start.disabled = true;
  });
  button(root.getAttribute("data-msg-next"), function () {
    if (index < parts.length - 1) {
      index += 1;
      left = parts[index].seconds;
      show();
    }
  });
  button(root.getAttribute("data-msg-reset"), function () {
    window.clearInterval(ticking);
    ticking = null;
    start.disabled = false;
    index = 0;
    left = parts[0].seconds;
    show();
  });
  show();
})();
