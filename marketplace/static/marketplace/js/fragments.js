/* Per-visitor parts of otherwise shared pages: <div data-fragment="URL"> is filled with the HTML that
   URL returns (same origin, rendered and escaped by Django), e.g. the recently viewed products. */
(function () {
  document.querySelectorAll("[data-fragment]").forEach(function (box) {
    fetch(box.getAttribute("data-fragment"), {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () { /* optional content: the page works without it */ });
  });
})();
