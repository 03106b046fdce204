/* Checkout: when the ward/commune of delivery is chosen, each seller's parcel shows its carrier's live fee and
   delivery time, and the totals follow. Without this script the fees appear when the page is sent. */
(function () {
  var section = document.getElementById("parcels");
  var form = section && section.closest("form");
  var ward = form && form.querySelector("select[name$='ward']");
  if (!ward) { return; }
  ward.addEventListener("change", function () {
    var url = section.dataset.feesSource + "?ward=" + encodeURIComponent(ward.value);
    section.setAttribute("aria-busy", "true");
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        section.innerHTML = html;
        var holder = section.querySelector("[data-shipping-total]");
        if (holder) {
          document.getElementById("shipping-total").textContent = holder.dataset.shippingTotal;
          document.getElementById("order-total").textContent = holder.dataset.orderTotal;
        }
      })
      .catch(function () { /* the fees are computed again when the order is sent */ })
      .finally(function () { section.removeAttribute("aria-busy"); });
  });
})();
