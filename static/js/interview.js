// The document interview's live preview: as people type, the page's answers are posted (nothing is
// saved) and the passages of the document they produce replace the preview. Without JavaScript the
// "Save and show the preview" button does the same through a normal save.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  var body = document.getElementById("preview-body");
  var note = document.getElementById("preview-note");
  if (!form || !body || !window.fetch) return;
  var timer = null;
  var asked = 0;

  function refresh() {
    var mine = ++asked;
    var data = new FormData(form);
    data.delete("go");
    fetch(form.dataset.preview, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || mine !== asked) return; // a later request will bring a newer preview
        body.innerHTML = answer.html || '<p class="hint">These answers shape the document\u2019s wording rather than appearing in it word for word.</p>';
        note.textContent = note.dataset.live +
          (answer.waiting.length ? " Not shown until it is a valid answer: " + answer.waiting.join("; ") + "." : "");
      })
      .catch(function () { /* the saved preview stays; saving still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }

  note.textContent = note.dataset.live;
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
