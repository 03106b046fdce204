/* A file being prepared: ask the page again every few seconds and swap in its status, so the department
   sees the progress and the download link appear without the page reloading itself (no meta refresh,
   which WCAG 2.2.1 rules out: it moves focus and the reading position under a screen reader's feet). */
(function () {
  var box = document.querySelector(".report-job[data-working]");
  if (!box) { return; }
  function poll() {
    fetch(window.location.href, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { window.setTimeout(poll, 5000); return; }
        var next = new DOMParser().parseFromString(html, "text/html").querySelector(".report-job");
        var current = document.querySelector(".report-job");
        if (!next || !current) { return; }
        current.replaceWith(document.importNode(next, true));
        if (next.hasAttribute("data-working")) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
