// Autosave for answering pages: each question's inputs are posted as soon as they change, and
// the server answers with which questions should show (show_if). Without JavaScript the page
// still works through its normal submit buttons.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var token = form.querySelector("input[name=csrf_token]").value;
  var pageStatus = document.getElementById("page-status");
  var pending = new Map(); // question fieldset -> timer
  var inFlight = 0;
  var failed = new Set();

  function time(stamp) {  // the server's time of the save, in UTC like every time the app shows
    var d = stamp ? new Date(stamp) : new Date();
    return String(d.getUTCHours()).padStart(2, "0") + ":" + String(d.getUTCMinutes()).padStart(2, "0") + " UTC";
  }

  function setStatus(fieldset, text, isError) {
    var status = fieldset.querySelector(".save-status");
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function clearErrors(fieldset) {
    fieldset.querySelectorAll(".error.live").forEach(function (e) { e.remove(); });
  }

  function showErrors(fieldset, errors) {
    clearErrors(fieldset);
    Object.keys(errors).forEach(function (name) {
      var input = fieldset.querySelector('[name="' + CSS.escape(name) + '"]');
      var p = document.createElement("p");
      p.className = "error live";
      p.textContent = errors[name].join(" ");
      var anchor = input ? (input.type === "radio" ? fieldset.querySelector(".scale") : input) : fieldset.querySelector("legend");
      anchor.insertAdjacentElement("beforebegin", p);
    });
  }

  function toggleReason(fieldset) {
    var checked = fieldset.querySelector(".scale input[type=radio]:checked");  // the level, not a conflict's choice
    var box = fieldset.querySelector(".na-reason");
    if (box) box.hidden = !(checked && checked.value === "na");
    return checked && checked.value === "na";
  }

  function applyVisibility(visible) {
    var shown = new Set(visible);
    form.querySelectorAll("fieldset.question").forEach(function (fs) {
      fs.hidden = !shown.has(fs.dataset.question);
    });
  }

  function refreshToken() {
    return fetch("/csrf-token", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        token = body.csrf_token;
        form.querySelector("input[name=csrf_token]").value = token;
      });
  }

  function save(fieldset, retried) {
    pending.delete(fieldset);
    var data = new FormData();
    data.append("csrf_token", token);
    fieldset.querySelectorAll("input, textarea").forEach(function (input) {
      if (input.type === "radio" && !input.checked) return;
      if (input.name.indexOf("resolve:") === 0) return;
      data.append(input.name, input.value);
    });
    inFlight += 1;
    setStatus(fieldset, "Saving…");
    fetch(fieldset.dataset.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      if (response.status === 401) {
        failed.add(fieldset);
        return { ok: false, body: { error: "Not saved: your session has ended. Log in again in another tab, then change this answer once more." } };
      }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // the server answered, but not with its own JSON (a proxy's error page, a crash): say so, not "no connection"
        return { ok: false, status: response.status, body: { error: "Not saved: the server could not save this answer (error " + response.status + "). Your answer stays here: try again in a moment." } };
      }
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 409 && result.body.conflict) {
        failed.delete(fieldset);
        showConflict(fieldset, result.body.conflict);
        return;
      }
      if (!result.ok && result.body.csrf && !retried) {
        // the page was open longer than a form token lives: get a fresh one and send again
        return refreshToken().then(function () { save(fieldset, true); });
      }
      if (!result.ok && result.status >= 500) {
        // the server could not save (disk full, database busy): keep it unsaved, so leaving the page warns
        failed.add(fieldset);
        setStatus(fieldset, result.body.error || "Not saved: the server could not save this answer.", true);
        return;
      }
      if (!result.ok) {
        failed.delete(fieldset);
        if (result.body.errors) {
          showErrors(fieldset, result.body.errors);
          setStatus(fieldset, "Not saved yet: see above", true);
        } else {
          setStatus(fieldset, result.body.error || "Not saved", true);
        }
        return;
      }
      failed.delete(fieldset);
      clearErrors(fieldset);
      if (result.body.revision !== undefined) revisionInput(fieldset).value = result.body.revision;
      setStatus(fieldset, "Saved " + time(result.body.saved_at));  // also when nothing changed: the page shows what is stored
      if (result.body.visible) applyVisibility(result.body.visible);
      if (pageStatus && result.body.total !== undefined) pageStatus.textContent = result.body.answered + " of " + result.body.total + " answered on this page";
    }).catch(function () {
      failed.add(fieldset);
      setStatus(fieldset, "Not saved: no connection. Your answer stays here and is sent when the connection is back.", true);
    }).finally(function () {
      inFlight -= 1;
    });
  }

  function revisionInput(fieldset) {
    return fieldset.querySelector('input[name^="rev:"]');
  }

  function keepBoth(mine, theirs) {  // as assess.core.revisions.keep_both: theirs first, never repeated
    mine = mine.trim(); theirs = theirs.trim();
    if (!mine || mine === theirs) return theirs;
    if (!theirs || mine.indexOf(theirs) === 0) return mine;
    return theirs + "\n\n" + mine;
  }

  function versionList(title, v) {
    var box = document.createElement("div");
    var h = document.createElement("h3");
    h.textContent = title;
    box.appendChild(h);
    var dl = document.createElement("dl");
    dl.className = "version";
    [["Level", v.label + (v.value === "na" && v.reason ? ": " + v.reason : "")], ["Note", v.note || "(none)"], ["Evidence", v.evidence || "(none)"]].forEach(function (row) {
      var div = document.createElement("div");
      var dt = document.createElement("dt"); dt.textContent = row[0];
      var dd = document.createElement("dd"); dd.textContent = row[1];
      div.appendChild(dt); div.appendChild(dd); dl.appendChild(div);
    });
    box.appendChild(dl);
    return box;
  }

  function showConflict(fieldset, conflict) {
    var old = fieldset.querySelector(".conflict");
    if (old) old.remove();
    var panel = document.createElement("div");
    panel.className = "conflict";
    panel.setAttribute("role", "alert");
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = conflict.theirs.by + " changed this answer at " + time(conflict.theirs.at);
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" while you had the page open, so your change to it was not saved. Choose which to keep."));
    panel.appendChild(p);
    var versions = document.createElement("div");
    versions.className = "versions";
    versions.appendChild(versionList("Their version", conflict.theirs));
    versions.appendChild(versionList("Your version", conflict.mine));
    panel.appendChild(versions);
    var buttons = document.createElement("div");
    buttons.className = "resolve";
    function button(label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", function () { action(); panel.remove(); });
      buttons.appendChild(b);
    }
    var texts = function (name) { return fieldset.querySelector('textarea[name="' + name + ":" + conflict.question + '"]'); };
    button("Keep theirs", function () {
      var radio = fieldset.querySelector('input[type=radio][value="' + CSS.escape(conflict.theirs.value) + '"]');
      fieldset.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
      if (radio) radio.checked = true;
      ["note", "evidence", "reason"].forEach(function (part) { var t = texts(part); if (t) t.value = conflict.theirs[part]; });
      toggleReason(fieldset);
      revisionInput(fieldset).value = conflict.theirs.revision;
      setStatus(fieldset, "Kept their answer");
    });
    button("Use mine", function () {
      revisionInput(fieldset).value = conflict.theirs.revision;
      save(fieldset);
    });
    if (conflict.parts.indexOf("note") >= 0 || conflict.parts.indexOf("evidence") >= 0) {
      button("Keep both texts", function () {
        ["note", "evidence"].forEach(function (part) { var t = texts(part); if (t) t.value = keepBoth(t.value, conflict.theirs[part]); });
        revisionInput(fieldset).value = conflict.theirs.revision;
        save(fieldset);
      });
    }
    panel.appendChild(buttons);
    fieldset.querySelector(".save-status").insertAdjacentElement("beforebegin", panel);
    setStatus(fieldset, "Not saved: someone else changed this answer", true);
  }

  function schedule(fieldset, delay) {
    clearTimeout(pending.get(fieldset));
    pending.set(fieldset, setTimeout(function () { save(fieldset); }, delay));
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) return;
    // choosing how to settle a conflict the page submit found is sent with the page, never autosaved:
    // an autosave would send my answer on top of theirs whatever the choice
    if (event.target.name.indexOf("resolve:") === 0) return;
    if (event.target.type === "radio") {
      var na = toggleReason(fieldset);
      var reason = fieldset.querySelector(".na-reason textarea");
      if (na && reason && !reason.value.trim()) {
        setStatus(fieldset, "Say why this does not apply, and it will be saved.");
        reason.focus();
        return;
      }
    }
    schedule(fieldset, 0);
  });

  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") return;
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) schedule(fieldset, 800);
  });

  window.addEventListener("online", function () {
    failed.forEach(function (fieldset) { save(fieldset); });
  });

  var submitting = false;
  form.addEventListener("submit", function () {
    // the whole page is posted: nothing pending can be lost
    submitting = true;
    pending.forEach(function (timer) { clearTimeout(timer); });
    pending.clear();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (pending.size || inFlight || failed.size)) {
      pending.forEach(function (timer, fieldset) { clearTimeout(timer); save(fieldset); });
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.querySelectorAll("fieldset.question").forEach(toggleReason);
})();
