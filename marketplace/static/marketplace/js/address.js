/* Address pickers (checkout and address book): the ward/commune list follows the chosen province.
   Without this script the form still works: a "show its wards" button reloads the page with the list. */
(function () {
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-ward-source]").forEach(function (province) {
    var form = province.form;
    var ward = form && form.querySelector("select[name$='ward']");
    if (!ward) { return; }
    province.addEventListener("change", function () {
      var code = province.value;
      ward.length = 1;
      ward.options[0].textContent = ward.dataset.first;
      if (!code) { return; }
      ward.disabled = true;
      var url = province.dataset.wardSource.replace(/00\.json$/, encodeURIComponent(code) + ".json");
      fetch(url, {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          ward.options[0].textContent = ward.dataset.choose;
          data.wards.forEach(function (item) { ward.add(new Option(item[1], item[0])); });
        })
        .finally(function () { ward.disabled = false; });
    });
  });
  /* "I need a company invoice": the fields unfold when the switch is on. */
  var toggle = document.querySelector("input[name='company_invoice']");
  var fields = document.getElementById("invoice-fields");
  if (toggle && fields) {
    var sync = function () { fields.classList.toggle("is-folded", !toggle.checked); };
    toggle.addEventListener("change", sync);
    sync();
  }
  /* Print buttons (the CSP forbids inline onclick handlers). */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
})();
