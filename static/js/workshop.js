// The facilitator's screen and the projector's presentation: poll the room's state every few
// seconds and update the numbers in place. The agreed level follows the live median until the
// facilitator touches it; notes being typed are never touched.
(function () {
  "use strict";
  var root = document.getElementById("workshop");
  if (!root) return;

  // Presentation mode: the arrow keys (and a clicker's page keys) move between questions.
  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, textarea, select")) return;
    var back = event.key === "ArrowLeft" || event.key === "PageUp";
    var forward = event.key === "ArrowRight" || event.key === "PageDown";
    var target = back ? root.dataset.previous : forward ? root.dataset.next : null;
    if (target) window.location.href = target;
  });

  if (root.dataset.status !== "open") return;
  var url = root.dataset.state;
  var names = JSON.parse(root.dataset.levelNames || "{}");  // the server's one vocabulary

  function text(el, value) { if (el) el.textContent = value; }

  // A select the facilitator changed keeps their choice from then on.
  root.querySelectorAll('select[data-follow="median"]').forEach(function (select) {
    select.addEventListener("change", function () { select.dataset.follow = "no"; });
  });

  function follow(room, q) {
    var select = room.querySelector('select[data-follow="median"]');
    if (!select || q.consensus !== null) return;
    select.value = q.median === null ? "" : String(q.median);
  }

  function progress(state) {
    (state.progress || []).forEach(function (p) {
      var item = root.querySelector('[data-participant="' + p.id + '"]');
      if (item) text(item.querySelector('[data-field="rated"]'), p.rated);
    });
  }

  function update(state) {
    text(document.getElementById("participant-count"), state.participants);
    progress(state);
    state.questions.forEach(function (q) {
      var room = root.querySelector('section.room[data-question="' + CSS.escape(q.id) + '"]');
      if (!room) return;
      text(room.querySelector('[data-field="count"]'), q.count);
      text(room.querySelector('[data-field="median"]'), q.median_label);
      text(room.querySelector('[data-field="spread"]'), q.spread === null ? "–" : q.spread);
      room.querySelector('[data-field="flag"]').hidden = !q.disagreement;
      var split = room.querySelector('[data-field="split"]');
      if (split) split.hidden = !q.split;
      var agreed = room.querySelector('[data-field="consensus"]');
      agreed.hidden = q.consensus === null;
      if (q.consensus !== null) agreed.textContent = "Agreed: " + (names[q.consensus] || q.consensus);
      room.classList.toggle("disagree", q.disagreement && q.consensus === null && !room.classList.contains("present-room"));
      room.classList.toggle("agreed", q.consensus !== null);
      Object.keys(q.distribution).forEach(function (level) {
        var bar = room.querySelector('progress[data-level="' + level + '"]');
        if (bar) {
          bar.max = q.count || 1;
          bar.value = q.distribution[level];
          bar.setAttribute("aria-label", bar.getAttribute("aria-label").replace(/: \d+ of \d+$/, ": " + q.distribution[level] + " of " + q.count));
        }
        text(room.querySelector('[data-count="' + level + '"]'), q.distribution[level]);
      });
      var list = room.querySelector('[data-field="comments"]');
      if (list && !list.hidden) {
        list.replaceChildren.apply(list, q.comments.map(function (c) {
          var li = document.createElement("li");
          if (c.name) { var b = document.createElement("strong"); b.textContent = c.name + ": "; li.appendChild(b); }
          li.appendChild(document.createTextNode(c.comment));
          return li;
        }));
      }
      follow(room, q);
    });
    if (state.status !== "open") window.location.reload();
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) update(state); })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
})();
