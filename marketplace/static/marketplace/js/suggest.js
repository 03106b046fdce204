/* Suggestions under the header search box after two characters: products, sellers, product groups. */
(function () {
  var form = document.querySelector("form[data-suggest-url]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var box = document.createElement("div");
  box.className = "suggest-box";
  box.setAttribute("role", "listbox");
  box.hidden = true;
  form.appendChild(box);
  var timer = null;
  var labels = {products: "Sản phẩm", sellers: "Người bán", groups: "Nhóm sản phẩm"};
  if (document.documentElement.lang === "en") { labels = {products: "Products", sellers: "Sellers", groups: "Product groups"}; }

  function render(data) {
    box.textContent = "";
    var count = 0;
    ["products", "sellers", "groups"].forEach(function (kind) {
      if (!data[kind] || !data[kind].length) { return; }
      var heading = document.createElement("div");
      heading.className = "suggest-box__heading";
      heading.textContent = labels[kind];
      box.appendChild(heading);
      data[kind].forEach(function (item) {
        var link = document.createElement("a");
        link.className = "suggest-box__item";
        link.href = item.url;
        link.textContent = item.title;  /* text, never HTML */
        link.setAttribute("role", "option");
        box.appendChild(link);
        count += 1;
      });
    });
    box.hidden = count === 0;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { box.hidden = true; return; }
    timer = setTimeout(function () {
      fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(render)
        .catch(function () { box.hidden = true; });
    }, 150);
  });
  document.addEventListener("click", function (event) { if (!form.contains(event.target)) { box.hidden = true; } });
  input.addEventListener("keydown", function (event) { if (event.key === "Escape") { box.hidden = true; } });
})();
