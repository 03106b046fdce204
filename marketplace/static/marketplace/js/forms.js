/* Behaviour that would otherwise be inline handlers (the Content-Security-Policy allows no inline script). */
(function () {
  /* <select data-autosubmit>: submit its form on change (e.g. the catalogue's sort order). */
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
