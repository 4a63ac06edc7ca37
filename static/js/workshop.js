// The facilitator's screen: poll the room's state every few seconds and update the numbers in
// place (never the consensus forms, so a note being typed is not lost).
(function () {
  "use strict";
  var root = document.getElementById("workshop");
  if (!root || root.dataset.status !== "open") return;
  var url = root.dataset.state;
  var names = JSON.parse(root.dataset.levelNames || "{}");  // the server's one vocabulary

  function text(el, value) { if (el) el.textContent = value; }

  function update(state) {
    text(document.getElementById("participant-count"), state.participants);
    state.questions.forEach(function (q) {
      var room = document.querySelector('section.room[data-question="' + CSS.escape(q.id) + '"]');
      if (!room) return;
      text(room.querySelector('[data-field="count"]'), q.count);
      text(room.querySelector('[data-field="median"]'), q.median === null ? "–" : q.median);
      text(room.querySelector('[data-field="spread"]'), q.spread === null ? "–" : q.spread);
      room.querySelector('[data-field="flag"]').hidden = !q.disagreement;
      var agreed = room.querySelector('[data-field="consensus"]');
      agreed.hidden = q.consensus === null;
      if (q.consensus !== null) agreed.textContent = "Agreed: " + (names[q.consensus] || q.consensus);
      room.classList.toggle("disagree", q.disagreement && q.consensus === null);
      room.classList.toggle("agreed", q.consensus !== null);
      Object.keys(q.distribution).forEach(function (level) {
        var bar = room.querySelector('progress[data-level="' + level + '"]');
        if (bar) { bar.max = q.count || 1; bar.value = q.distribution[level]; }
        text(room.querySelector('[data-count="' + level + '"]'), q.distribution[level]);
      });
      var list = room.querySelector('[data-field="comments"]');
      list.replaceChildren.apply(list, q.comments.map(function (c) {
        var li = document.createElement("li");
        if (c.name) { var b = document.createElement("strong"); b.textContent = c.name + ": "; li.appendChild(b); }
        li.appendChild(document.createTextNode(c.comment));
        return li;
      }));
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
