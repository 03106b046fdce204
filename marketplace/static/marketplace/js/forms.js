/* Behaviour that would otherwise be inline handlers (the Content-Security-Policy allows no inline script). */
(function () {
  /* <select data-autosubmit>: submit its form on change (e.g. the catalogue's sort order). */
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();

/* Messages (Oscar's alerts): after an action that reloaded the page ("add to basket", a saved form), focus goes
 * to the first message, which a screen reader then reads, instead of being lost at the top of the page; the
 * labelled × closes a message and hands focus on to the main content. Needs neither jQuery nor Bootstrap. */
(function () {
  var first = document.querySelector("[data-message]");
  if (first && !document.querySelector("[aria-invalid=true]")) { first.focus({preventScroll: false}); }
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-message] [data-dismiss=alert]");
    if (!close) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var message = close.closest("[data-message]");
    var main = document.getElementById("main");
    message.parentNode.removeChild(message);
    if (main) { main.setAttribute("tabindex", "-1"); main.focus(); }
  }, true);
})();
