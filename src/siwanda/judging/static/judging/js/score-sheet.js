// Siwanda score sheet: every score saves itself as the juror enters it, on a desk or on a phone
// in the presentation room. Loaded as a file (strict CSP). Without JavaScript the "Save" and
// "Submit and lock" buttons send the whole sheet.
//
// A criterion (score, "not applicable", comment) is saved ~0.8 s after the last change and at
// once when it loses focus. Until the server confirms it, it is kept in localStorage: a dropped
// connection or a closed tab loses nothing; failed saves are tried again (2, 4, 8 … 30 s, and at
// once when the connection returns), and a page opened later puts unsaved scores back.
(function () {
  "use strict";

  var form = document.getElementById("score-sheet");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var DEBOUNCE_MS = 800;
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 30000;
  var url = form.getAttribute("data-autosave-url");
  var prefix = "siwanda:sheet:" + form.getAttribute("data-assignment") + ":";
  var low = parseFloat(form.getAttribute("data-low"));
  var high = parseFloat(form.getAttribute("data-high"));
  var below = form.getAttribute("data-comment-below");
  var above = form.getAttribute("data-comment-above");
  below = below === "" ? null : parseFloat(below);
  above = above === "" ? null : parseFloat(above);
  var status = document.getElementById("sheet-status");
  var totalOutput = document.getElementById("sheet-total");
  var items = {}; // key ("c<id>" or "comment") -> state
  var restored = false;

  function msg(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function store(key, payload) {
    try {
      if (payload === null) {
        window.localStorage.removeItem(prefix + key);
      } else {
        window.localStorage.setItem(prefix + key, JSON.stringify(payload));
      }
    } catch (error) {
      // Private browsing or a full storage: saving still works, only the backup is missing.
    }
  }

  function stored(key) {
    try {
      var raw = window.localStorage.getItem(prefix + key);
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  function showStatus(text, problem) {
    status.textContent = text;
    status.className = "small mb-2" + (problem ? " text-danger" : " text-body-secondary");
  }

  function worst() {
    var states = Object.keys(items).map(function (k) { return items[k].state; });
    if (states.indexOf("signedout") >= 0) { return showStatus(msg("signedout"), true); }
    if (states.indexOf("offline") >= 0) { return showStatus(msg("offline"), true); }
    if (states.indexOf("saving") >= 0 || states.indexOf("dirty") >= 0) {
      return showStatus(msg("saving"), false);
    }
    if (states.indexOf("saved") >= 0) {
      var now = new Date();
      var time = ("0" + now.getHours()).slice(-2) + "." + ("0" + now.getMinutes()).slice(-2);
      return showStatus(msg("saved") + " " + time, false);
    }
    return null;
  }

  // --- What a criterion holds ------------------------------------------------------------------

  function payloadOf(item) {
    if (item.key === "comment") {
      return { field: "comment", comment: item.comment.value };
    }
    return {
      criterion: item.id,
      value: item.score.value,
      not_applicable: item.na && item.na.checked ? "true" : "false",
      comment: item.comment.value
    };
  }

  function apply(item, payload) {
    if (item.key === "comment") {
      item.comment.value = payload.comment;
      return;
    }
    item.score.value = payload.value;
    if (item.na) { item.na.checked = payload.not_applicable === "true"; }
    item.comment.value = payload.comment;
  }

  function explainHint(item) {
    if (item.key === "comment") { return; }
    var value = parseFloat(item.score.value);
    var needs = !isNaN(value) && !item.comment.value.trim() &&
      ((below !== null && value <= below) || (above !== null && value >= above));
    if (!item.serverError) {
      item.error.textContent = needs ? msg("explain") : "";
    }
  }

  function total() {
    var sum = 0;
    var weights = 0;
    Object.keys(items).forEach(function (key) {
      var item = items[key];
      if (item.key === "comment" || (item.na && item.na.checked)) { return; }
      var value = parseFloat(item.score.value);
      if (isNaN(value) || item.weight <= 0) { return; }
      sum += item.weight * (value - low) / (high - low) * 100;
      weights += item.weight;
    });
    totalOutput.textContent = weights ? (Math.round(sum / weights * 10) / 10).toString() : "—";
  }

  // --- Saving ----------------------------------------------------------------------------------

  function schedule(item, delay) {
    window.clearTimeout(item.timer);
    item.timer = window.setTimeout(function () { save(item); }, delay);
  }

  function changed(item) {
    item.state = "dirty";
    item.serverError = false;
    store(item.key, payloadOf(item));
    explainHint(item);
    total();
    worst();
    schedule(item, DEBOUNCE_MS);
  }

  function save(item) {
    if (item.inFlight) {
      item.again = true;
      return;
    }
    var payload = payloadOf(item);
    item.inFlight = true;
    item.state = "saving";
    worst();
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: new URLSearchParams(payload)
    }).then(function (response) {
      item.inFlight = false;
      if (response.redirected || response.status === 401 || response.status === 403) {
        item.state = "signedout";
        worst();
        return null;
      }
      return response.json().then(function (data) {
        if (data.ok) {
          item.retry = RETRY_FIRST_MS;
          var now = payloadOf(item);
          if (JSON.stringify(now) === JSON.stringify(payload)) {
            store(item.key, null);
            item.state = "saved";
          }
          if (item.error) { explainHint(item); }
        } else {
          // Refused (out of range, not on a step…): the text stays as typed, with the reason.
          store(item.key, null);
          item.state = "saved";
          item.serverError = true;
          if (item.error) { item.error.textContent = data.error; }
        }
        worst();
        if (item.again) {
          item.again = false;
          save(item);
        }
      });
    }).catch(function () {
      item.inFlight = false;
      item.state = "offline";
      worst();
      item.retry = Math.min((item.retry || RETRY_FIRST_MS) * 2, RETRY_MAX_MS);
      schedule(item, item.retry);
    });
  }

  // --- Set-up ----------------------------------------------------------------------------------

  function watch(item, elements) {
    elements.forEach(function (element) {
      if (!element) { return; }
      element.addEventListener("input", function () { changed(item); });
      element.addEventListener("change", function () { changed(item); });
      element.addEventListener("blur", function () {
        if (item.state === "dirty") { schedule(item, 0); }
      });
    });
  }

  form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
    var id = fieldset.getAttribute("data-criterion");
    var item = {
      key: "c" + id,
      id: id,
      weight: parseFloat(fieldset.getAttribute("data-weight")),
      score: fieldset.querySelector("input.score-input"),
      na: fieldset.querySelector("input[type=checkbox]"),
      comment: fieldset.querySelector("textarea"),
      error: fieldset.querySelector("[data-error-for]"),
      serverError: fieldset.querySelector("[data-error-for]").textContent.trim() !== "",
      state: "clean",
      retry: RETRY_FIRST_MS
    };
    items[item.key] = item;
    if (!item.score.disabled) {
      watch(item, [item.score, item.na, item.comment]);
    }
  });
  var overall = document.getElementById("sheet-comment");
  items.comment = { key: "comment", comment: overall, state: "clean", retry: RETRY_FIRST_MS };
  if (!overall.disabled) {
    watch(items.comment, [overall]);
  }

  // Scores typed while the page could not save them are put back and saved.
  Object.keys(items).forEach(function (key) {
    var item = items[key];
    var kept = stored(key);
    if (kept && JSON.stringify(kept) === JSON.stringify(payloadOf(item))) {
      store(key, null); // the server has it already (the form was sent with it)
    } else if (kept && !(item.comment && item.comment.disabled)) {
      apply(item, kept);
      restored = true;
      changed(item);
    } else if (kept) {
      store(key, null);
    }
  });
  if (restored) {
    showStatus(msg("restored"), false);
  }
  Object.keys(items).forEach(function (key) { explainHint(items[key]); });
  total();

  window.addEventListener("online", function () {
    Object.keys(items).forEach(function (key) {
      if (items[key].state === "offline") { save(items[key]); }
    });
  });
  window.addEventListener("beforeunload", function (event) {
    var pending = Object.keys(items).some(function (key) {
      return ["dirty", "saving", "offline", "signedout"].indexOf(items[key].state) >= 0;
    });
    if (pending) {
      event.preventDefault();
      event.returnValue = msg("leave");
    }
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.name === "submit" && navigator.onLine === false) {
      event.preventDefault();
      showStatus(msg("submit-offline"), true);
      return;
    }
    // The form carries every value: what was pending is sent with it.
    Object.keys(items).forEach(function (key) {
      window.clearTimeout(items[key].timer);
      items[key].state = "clean";
    });
  });
})();
