// Siwanda proposal editor: never lose a word. Loaded as a file (strict CSP: no inline scripts,
// no eval, no style attributes). Without JavaScript every section is still saved by its
// "Save this section" button; with it, every question saves itself as the person types.
//
// Each question (a textarea, an input, or a <fieldset> of checkboxes/radios) carries
// data-field, data-version and data-type. A question's text is saved ~1.5 s after typing stops
// and at once when it loses focus. Until the server confirms it, the text is also kept in
// localStorage, so that a dropped connection, a closed tab or a crash loses nothing: failed
// saves are tried again (2, 4, 8 … 30 s, and at once when the connection returns) and a page
// opened later offers to put unsaved text back. A save based on an older version than the
// server's (a colleague saved meanwhile) shows both texts and lets the person choose.
//
// Every text shown comes from the page's data-msg-* attributes (translated by Django).
(function () {
  "use strict";

  var root = document.getElementById("proposal-editor");
  if (!root || !window.fetch || !window.URLSearchParams) {
    return;
  }

  var DEBOUNCE_MS = 1500;
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 30000;
  var PRESENCE_MS = 60000;
  var KEEPALIVE_MAX_BYTES = 60000; // browsers refuse keepalive bodies over 64 KiB
  // Words as the server counts them (siwanda/core/text.py: [\w'’-]+ with Unicode). Built
  // with RegExp (not eval: allowed by the CSP) so that a browser without Unicode property
  // escapes falls back to Latin letters instead of failing to run the whole editor.
  var WORD = (function () {
    try {
      return new RegExp("[\\p{L}\\p{N}_'\u2019-]+", "gu");
    } catch (error) {
      return /[A-Za-z0-9_\u00C0-\u024F'\u2019-]+/g;
    }
  })();
  // Field states that are a problem, most serious first (the global status shows the worst).
  var PROBLEMS = ["locked", "conflict", "error", "offline", "signedout", "retrying"];
  var ORDER = PROBLEMS.concat(["saving", "unsaved"]);

  var proposalId = root.getAttribute("data-proposal");
  var storagePrefix = "siwanda:proposal:" + proposalId + ":field:";
  var globalStatus = document.getElementById("save-status");
  var banner = document.getElementById("restore-banner");
  var fields = {}; // field id -> state of the question
  var all = []; // the same, in page order
  var candidates = []; // unsaved texts found in this browser when the page opened
  var lastSavedLabel = "";
  var presenceSent = {}; // section id -> time of the last presence ping

  // --- Small helpers ---------------------------------------------------------------------------

  function msg(name, params) {
    var text = root.getAttribute("data-msg-" + name) || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return params && Object.prototype.hasOwnProperty.call(params, key)
        ? String(params[key])
        : whole;
    });
  }

  function urlFor(attribute, id) {
    return root.getAttribute(attribute).replace(/\/0\/$/, "/" + id + "/");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function button(text, className, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function countWords(text) {
    var found = String(text || "").match(WORD);
    return found ? found.length : 0;
  }

  // Values compare as the server would see them: "" and null are both "no answer", numbers
  // and strings of the same digits are equal.
  function normal(value) {
    if (value === null || value === undefined) {
      return "";
    }
    if (Array.isArray(value)) {
      return value.map(String);
    }
    return String(value);
  }

  function same(a, b) {
    return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
  }

  // --- Local copies ----------------------------------------------------------------------------
  // One entry per question: {value, base (the server version the text started from), at,
  // unsaved}. Written on every change, dropped once the server holds the same text.

  var store = {
    key: function (id) {
      return storagePrefix + id;
    },
    read: function (id) {
      try {
        var raw = window.localStorage.getItem(store.key(id));
        return raw ? JSON.parse(raw) : null;
      } catch (error) {
        return null;
      }
    },
    write: function (field) {
      try {
        window.localStorage.setItem(
          store.key(field.id),
          JSON.stringify({
            value: valueOf(field),
            base: field.version,
            at: Date.now(),
            unsaved: true,
          })
        );
      } catch (error) {
        // Storage full or disabled: the text is still in the field and the status says so.
      }
    },
    drop: function (id) {
      try {
        window.localStorage.removeItem(store.key(id));
      } catch (error) {
        // Nothing to do.
      }
    },
    ids: function () {
      var ids = [];
      try {
        for (var i = 0; i < window.localStorage.length; i += 1) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(storagePrefix) === 0) {
            ids.push(key.slice(storagePrefix.length));
          }
        }
      } catch (error) {
        // Nothing stored, then.
      }
      return ids;
    },
  };

  // --- Reading and writing a question ----------------------------------------------------------

  function choiceInputs(field) {
    return Array.prototype.slice.call(field.el.querySelectorAll("input"));
  }

  function valueOf(field, fromMarkup) {
    if (field.kind === "text") {
      return fromMarkup ? field.el.defaultValue : field.el.value;
    }
    var chosen = choiceInputs(field)
      .filter(function (input) {
        return fromMarkup ? input.defaultChecked : input.checked;
      })
      .map(function (input) {
        return input.value;
      });
    if (field.type === "single_choice") {
      return chosen.length ? chosen[0] : null;
    }
    return chosen;
  }

  function setValue(field, value) {
    if (field.kind === "text") {
      field.el.value = value === null || value === undefined ? "" : String(value);
      return;
    }
    var wanted = Array.isArray(value) ? value.map(String) : [normal(value)];
    choiceInputs(field).forEach(function (input) {
      input.checked = wanted.indexOf(input.value) !== -1;
    });
  }

  // An answer as a person reads it: the labels of chosen options, or the text itself.
  function shown(field, value) {
    if (field.kind === "text") {
      return normal(value);
    }
    var wanted = Array.isArray(value) ? value.map(String) : [normal(value)];
    return choiceInputs(field)
      .filter(function (input) {
        return wanted.indexOf(input.value) !== -1;
      })
      .map(function (input) {
        var label = input.id ? field.el.querySelector('label[for="' + input.id + '"]') : null;
        return label ? label.textContent.trim() : input.value;
      })
      .join(", ");
  }

  function setVersion(field, version) {
    field.version = version;
    field.el.setAttribute("data-version", String(version));
    if (field.versionInput) {
      field.versionInput.value = String(version); // the no-JavaScript section save uses it
    }
  }

  function isReadOnly(field) {
    if (field.kind === "text") {
      return field.el.readOnly || field.el.disabled;
    }
    var inputs = choiceInputs(field);
    return (
      field.el.disabled ||
      (inputs.length > 0 &&
        inputs.every(function (input) {
          return input.disabled;
        }))
    );
  }

  function updateCount(field) {
    if (!field.countEl) {
      return;
    }
    var words = countWords(field.el.value);
    setText(field.countEl, String(words));
    var over = field.limit > 0 && words > field.limit;
    field.countBox.classList.toggle("is-over", over);
    field.el.classList.toggle("is-over", over);
  }

  // --- Status texts ----------------------------------------------------------------------------

  function setStatus(field, state, text) {
    field.state = state;
    if (field.statusEl) {
      setText(field.statusEl, text);
      field.statusEl.classList.toggle("is-error", PROBLEMS.indexOf(state) !== -1);
    }
    updateGlobal();
  }

  function updateGlobal() {
    if (!globalStatus) {
      return;
    }
    var worst = null;
    all.forEach(function (field) {
      var rank = ORDER.indexOf(field.state);
      if (rank !== -1 && (worst === null || rank < ORDER.indexOf(worst.state))) {
        worst = field;
      }
    });
    var text = "";
    if (worst === null) {
      text = lastSavedLabel ? msg("saved", { time: lastSavedLabel }) : "";
    } else if (worst.state === "conflict" || worst.state === "error") {
      text = worst.statusEl ? worst.statusEl.textContent : msg("error");
    } else if (worst.state !== "locked") {
      text = msg(worst.state);
    } else {
      return; // lockAll() wrote the server's reason
    }
    setText(globalStatus, text);
    globalStatus.classList.toggle("is-error", worst !== null && PROBLEMS.indexOf(worst.state) !== -1);
  }

  function showEditors(section, names) {
    var box = root.querySelector('[data-editors-for="' + section + '"]');
    if (box && Array.isArray(names)) {
      setText(box, names.length ? msg("editors", { names: names.join(", ") }) : "");
    }
  }

  // --- Saving ----------------------------------------------------------------------------------

  function request(url, body, keepalive) {
    var options = {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    };
    if (keepalive && body && body.toString().length < KEEPALIVE_MAX_BYTES) {
      options.keepalive = true;
    }
    return fetch(url, options).then(function (response) {
      var login = root.getAttribute("data-login-url");
      if (response.redirected && login && response.url.indexOf(login) !== -1) {
        // The session has ended: the request was sent on to the login page.
        return { status: 401, data: {} };
      }
      return response.json().then(
        function (data) {
          return { status: response.status, data: data || {} };
        },
        function () {
          return { status: response.status, data: {} }; // not JSON: a login page, a proxy error
        }
      );
    });
  }

  function send(field, options) {
    options = options || {};
    clearTimeout(field.timer);
    clearTimeout(field.retryTimer);
    field.timer = field.retryTimer = null;
    if (field.locked || (field.conflict && !options.force)) {
      return;
    }
    if (field.inFlight) {
      field.again = true; // one request per question at a time: this one goes after
      return;
    }
    if (!field.dirty) {
      return;
    }
    var value = valueOf(field);
    var body = new URLSearchParams();
    // A list is sent as repeated values; an empty list as no value at all (the view reads
    // getlist("value") == []); a cleared single choice likewise (stored as no answer).
    if (Array.isArray(value)) {
      value.forEach(function (item) {
        body.append("value", item);
      });
    } else if (value !== null) {
      body.append("value", value);
    }
    body.append("base_version", String(field.version));
    if (options.force) {
      body.append("force", "1");
    }
    field.inFlight = true;
    field.again = false;
    if (field.state !== "offline" && field.state !== "retrying") {
      setStatus(field, "saving", msg("saving"));
    }
    request(urlFor("data-answer-url", field.id), body, options.keepalive).then(
      function (result) {
        field.inFlight = false;
        answered(field, value, result);
      },
      function () {
        field.inFlight = false;
        failed(field, "offline");
      }
    );
  }

  function answered(field, sent, result) {
    var data = result.data;
    if (result.status === 200 && data.ok) {
      saved(field, sent, data);
    } else if (result.status === 409 && data.conflict) {
      conflict(field, data);
    } else if (result.status === 423 && data.locked) {
      lockAll(data.error);
    } else if (result.status === 401) {
      // Logging in again in another tab restores the session; the retries then save the text.
      failed(field, "signedout");
      return;
    } else if (result.status === 400 && data.error) {
      // The value itself is refused ("Enter a number"): trying again would not help; the
      // next change is saved as usual.
      setStatus(field, "error", msg("error") + " " + data.error);
    } else {
      failed(field, "retrying");
      return;
    }
    if (field.again) {
      send(field);
    }
  }

  function saved(field, sent, data) {
    setVersion(field, data.version);
    field.retryDelay = 0;
    lastSavedLabel = data.saved_label;
    showEditors(field.section, data.editors);
    if (same(valueOf(field), sent)) {
      field.dirty = false;
      field.again = false;
      store.drop(field.id);
      setStatus(field, "saved", msg("saved", { time: data.saved_label }));
    } else {
      store.write(field); // typed while it was saving: same text, newer base version
      setStatus(field, "unsaved", msg("unsaved"));
    }
  }

  function failed(field, state) {
    store.write(field);
    setStatus(field, state, msg(state));
    field.retryDelay = field.retryDelay
      ? Math.min(field.retryDelay * 2, RETRY_MAX_MS)
      : RETRY_FIRST_MS;
    field.retryTimer = setTimeout(function () {
      send(field);
    }, field.retryDelay);
  }

  function saveNow(field) {
    if (field.dirty && !field.locked && !field.conflict) {
      field.retryDelay = 0;
      send(field);
    }
  }

  function edited(field) {
    if (field.locked) {
      return;
    }
    updateCount(field);
    field.dirty = true;
    forgetCandidate(field);
    store.write(field);
    if (!field.conflict && field.state !== "offline" && field.state !== "retrying") {
      setStatus(field, "unsaved", msg("unsaved"));
    }
    clearTimeout(field.timer);
    field.timer = setTimeout(function () {
      send(field);
    }, DEBOUNCE_MS);
  }

  // --- Two people, one question ----------------------------------------------------------------

  function conflict(field, data) {
    field.conflict = data;
    field.again = false;
    store.write(field);
    setStatus(field, "conflict", msg("conflict", { who: data.by, time: data.at }));
    removeConflict(field);
    var box = document.createElement("div");
    box.className = "field-conflict border border-warning rounded p-2 mt-2";
    var theirs = document.createElement("div");
    theirs.className = "field-conflict-theirs bg-body-tertiary rounded p-2 mb-2";
    theirs.textContent = shown(field, data.value); // their text, as text: never as HTML
    var actions = document.createElement("div");
    actions.className = "d-flex flex-wrap gap-2";
    actions.appendChild(
      button(msg("keep-mine"), "btn btn-sm btn-primary", function () {
        keepMine(field);
      })
    );
    actions.appendChild(
      button(msg("take-theirs"), "btn btn-sm btn-outline-secondary", function () {
        takeTheirs(field);
      })
    );
    box.appendChild(theirs);
    box.appendChild(actions);
    field.conflictBox = box;
    var anchor = field.statusEl || field.el;
    anchor.parentNode.insertBefore(box, anchor.nextSibling);
  }

  function removeConflict(field) {
    if (field.conflictBox) {
      field.conflictBox.remove();
      field.conflictBox = null;
    }
  }

  function focusField(field) {
    var target = field.kind === "text" ? field.el : field.el.querySelector("input");
    if (target) {
      target.focus();
    }
  }

  function keepMine(field) {
    var theirs = field.conflict;
    field.conflict = null;
    removeConflict(field);
    setVersion(field, theirs.version);
    field.dirty = true;
    focusField(field);
    send(field, { force: true });
  }

  function takeTheirs(field) {
    var theirs = field.conflict;
    field.conflict = null;
    removeConflict(field);
    setValue(field, theirs.value);
    setVersion(field, theirs.version);
    updateCount(field);
    field.dirty = false;
    store.drop(field.id);
    setStatus(field, "saved", msg("saved", { time: theirs.at }));
    focusField(field);
  }

  // --- Too late: the proposal is closed --------------------------------------------------------

  function lockAll(reason) {
    all.forEach(function (field) {
      clearTimeout(field.timer);
      clearTimeout(field.retryTimer);
      field.locked = true;
      if (field.kind === "text") {
        field.el.readOnly = true; // still focusable: the text can be copied
      } else {
        choiceInputs(field).forEach(function (input) {
          input.disabled = true;
        });
      }
      if (field.dirty) {
        setStatus(field, "locked", msg("locked")); // its text stays, here and in the browser
      }
    });
    root
      .querySelectorAll(".section-save, .upload-form input, .upload-form button")
      .forEach(function (element) {
        element.disabled = true;
      });
    if (globalStatus) {
      setText(globalStatus, reason || msg("locked"));
      globalStatus.classList.add("is-error");
    }
  }

  // --- Text kept in this browser from an earlier visit -----------------------------------------

  function findCandidates() {
    store.ids().forEach(function (id) {
      var field = fields[id];
      var entry = store.read(id);
      if (!field) {
        store.drop(id); // a question of another form version: nothing to restore it into
        return;
      }
      if (field.locked) {
        return; // kept, so that nothing typed is lost, but it cannot be saved any more
      }
      if (!entry || !entry.unsaved || same(entry.value, field.serverValue)) {
        store.drop(id);
        return;
      }
      candidates.push({ field: field, entry: entry });
    });
    showBanner();
  }

  function forgetCandidate(field) {
    var before = candidates.length;
    candidates = candidates.filter(function (candidate) {
      return candidate.field !== field;
    });
    if (candidates.length !== before) {
      showBanner();
    }
  }

  function showBanner() {
    if (!banner) {
      return;
    }
    while (banner.firstChild) {
      banner.removeChild(banner.firstChild);
    }
    if (!candidates.length) {
      banner.hidden = true;
      return;
    }
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = msg("restore", { count: candidates.length });
    var actions = document.createElement("div");
    actions.className = "d-flex flex-wrap gap-2";
    actions.appendChild(button(msg("restore-yes"), "btn btn-sm btn-primary", restoreAll));
    actions.appendChild(button(msg("restore-no"), "btn btn-sm btn-outline-secondary", keepSaved));
    banner.appendChild(text);
    banner.appendChild(actions);
    banner.hidden = false;
  }

  function restoreAll() {
    var restored = candidates;
    candidates = [];
    showBanner();
    restored.forEach(function (candidate) {
      var field = candidate.field;
      setValue(field, candidate.entry.value);
      // The version the text was written from: if a colleague saved since, the save is a
      // conflict and both texts are shown.
      setVersion(field, Math.min(candidate.entry.base || 0, field.version));
      updateCount(field);
      field.dirty = true;
      store.write(field);
      send(field);
    });
    if (restored.length) {
      focusField(restored[0].field);
    }
  }

  function keepSaved() {
    candidates.forEach(function (candidate) {
      store.drop(candidate.field.id);
    });
    candidates = [];
    showBanner();
    var main = document.getElementById("main");
    if (main) {
      main.focus();
    }
  }

  // --- Presence --------------------------------------------------------------------------------

  function ping(section) {
    var now = Date.now();
    if (!section || (presenceSent[section] && now - presenceSent[section] < PRESENCE_MS)) {
      return;
    }
    presenceSent[section] = now;
    request(urlFor("data-presence-url", section), null).then(
      function (result) {
        if (result.status === 200) {
          showEditors(section, result.data.editors);
        }
      },
      function () {
        // Offline: who else is here can wait.
      }
    );
  }

  // --- Uploads ---------------------------------------------------------------------------------

  function say(element, text, isError) {
    if (element) {
      setText(element, text);
      element.classList.toggle("is-error", Boolean(isError));
    }
  }

  function upload(form) {
    var input = form.querySelector("input[type=file]");
    var submit = form.querySelector("button[type=submit], button:not([type])");
    var status = form.querySelector(".upload-status");
    var bar = form.querySelector("progress");
    var file = input && input.files ? input.files[0] : null;
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (form.classList.contains("is-uploading")) {
      return;
    }
    if (file && maxBytes && file.size > maxBytes) {
      if (bar) {
        bar.hidden = true;
      }
      say(status, form.getAttribute("data-too-large"), true);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    form.classList.add("is-uploading");
    if (submit) {
      submit.disabled = true;
    }
    if (bar) {
      bar.value = 0;
      bar.hidden = false;
    }
    say(status, msg("uploading", { percent: 0 }));
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable && event.total) {
        var percent = Math.round((event.loaded / event.total) * 100);
        if (bar) {
          bar.value = percent;
        }
        say(status, msg("uploading", { percent: percent }));
      }
    });
    function done() {
      form.classList.remove("is-uploading");
      if (submit) {
        submit.disabled = false;
      }
    }
    function refused(text) {
      done();
      if (bar) {
        bar.hidden = true;
      }
      say(status, text, true);
    }
    xhr.addEventListener("load", function () {
      var data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch (error) {
        data = null;
      }
      if (xhr.status === 200 && data && data.ok) {
        done();
        var list = document.getElementById("attachments-" + form.getAttribute("data-field"));
        if (list) {
          list.insertAdjacentHTML("beforeend", data.html); // rendered and escaped by Django
        }
        if (bar) {
          bar.value = 100;
        }
        say(status, msg("uploaded"));
        input.value = "";
      } else {
        refused(data && data.error ? data.error : msg("error") + " " + (file ? file.name : ""));
      }
    });
    xhr.addEventListener("error", function () {
      refused(msg("error") + " " + (file ? file.name : ""));
    });
    xhr.send(new FormData(form));
  }

  // --- Wiring ----------------------------------------------------------------------------------

  function fieldOf(target) {
    var element =
      target && target.closest
        ? target.closest("textarea[data-field], input[data-field], fieldset[data-field]")
        : null;
    var field = element ? fields[element.getAttribute("data-field")] : null;
    return field && field.el === element ? field : null;
  }

  root
    .querySelectorAll("textarea[data-field], input[data-field], fieldset[data-field]")
    .forEach(function (element) {
      var id = element.getAttribute("data-field");
      var form = element.closest(".section-form");
      var countEl = root.querySelector('[data-count-for="' + id + '"]');
      var field = {
        id: id,
        el: element,
        kind: element.tagName === "FIELDSET" ? "choice" : "text",
        type: element.getAttribute("data-type"),
        section: form ? form.getAttribute("data-section") : null,
        version: parseInt(element.getAttribute("data-version"), 10) || 0,
        limit: parseInt(element.getAttribute("data-word-limit"), 10) || 0,
        statusEl: root.querySelector('[data-status-for="' + id + '"]'),
        countEl: countEl,
        countBox: countEl ? document.getElementById("count-" + id) || countEl.parentNode : null,
        versionInput: form ? form.querySelector('input[name="v' + id + '"]') : null,
        state: "",
        dirty: false,
        inFlight: false,
        again: false,
        conflict: null,
        retryDelay: 0,
        timer: null,
        retryTimer: null,
      };
      // Start from the server's copy even if the browser put back what was typed before a
      // reload: unsaved text is offered back from localStorage, with the version it came from.
      setValue(field, valueOf(field, true));
      field.serverValue = valueOf(field);
      field.locked = isReadOnly(field);
      setVersion(field, field.version);
      updateCount(field);
      fields[id] = field;
      all.push(field);
    });

  root.addEventListener("input", function (event) {
    var field = fieldOf(event.target);
    if (field) {
      edited(field);
    }
  });

  root.addEventListener("change", function (event) {
    var field = fieldOf(event.target);
    if (field) {
      if (field.kind === "choice") {
        edited(field);
      }
      saveNow(field);
    }
  });

  root.addEventListener("focusout", function (event) {
    var field = fieldOf(event.target);
    if (field && field.kind === "text" && field.timer) {
      saveNow(field);
    }
  });

  root.addEventListener("focusin", function (event) {
    var field = fieldOf(event.target);
    if (field && !field.locked) {
      ping(field.section);
    }
  });

  // With JavaScript, "Save this section" saves its questions at once, in place, through the
  // same path as autosave (versions, conflicts, offline copies): no page load that could race
  // with an autosave or drop a text that met a conflict. Without JavaScript it posts the form.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("section-form")) {
      event.preventDefault();
      all.forEach(function (field) {
        if (form.contains(field.el)) {
          saveNow(field);
        }
      });
    } else if (form.classList.contains("upload-form")) {
      event.preventDefault();
      upload(form);
    }
  });

  window.addEventListener("online", function () {
    all.forEach(saveNow);
  });

  // Leaving: send what waits for its pause in typing, in a request that outlives the page.
  window.addEventListener("pagehide", function () {
    all.forEach(function (field) {
      if (field.timer && !field.inFlight) {
        send(field, { keepalive: true });
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = all.some(function (field) {
      return field.dirty || field.inFlight;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = msg("leave");
      return msg("leave");
    }
    return undefined;
  });

  findCandidates();
})();
