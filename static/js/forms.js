// The error summary (GOV.UK pattern): it takes the focus when the page loads, and each of its links
// moves the focus to its field and shows the field's label or legend above it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
    var label = document.querySelector("label[for='" + CSS.escape(target.id) + "']");
    (legend || label || target).scrollIntoView();
    target.focus({ preventScroll: true });
  });
})();
