/* Quantity steppers on the product page and the basket, and the basket's updates without a page reload.
 * Everything works without this file: the basket's −/+/remove buttons are real submit buttons and the
 * product page keeps a plain number field. (No inline script: the Content-Security-Policy forbids it.) */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function clamp(input, value) {
    var min = parseInt(input.min || "1", 10);
    var max = input.max ? parseInt(input.max, 10) : Infinity;
    if (isNaN(value)) { value = min; }
    return Math.max(min, Math.min(max, value));
  }

  /* Product page: −/+ around the add-to-basket quantity, bounded by the stock (the field's max). */
  document.querySelectorAll("[data-qty-stepper]").forEach(function (box) {
    var input = box.querySelector("input[type=number]");
    if (!input) { return; }
    function button(step, label, text) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "stepper__btn stepper__btn--" + (step < 0 ? "minus" : "plus");
      b.setAttribute("aria-label", label);
      b.textContent = text;
      b.addEventListener("click", function () {
        input.value = clamp(input, parseInt(input.value, 10) + step);
        refresh();
      });
      return b;
    }
    var minus = button(-1, box.getAttribute("data-label-minus") || "-", "−");
    var plus = button(1, box.getAttribute("data-label-plus") || "+", "+");
    input.parentNode.insertBefore(minus, input);
    input.parentNode.insertBefore(plus, input.nextSibling);
    function refresh() {
      var value = parseInt(input.value, 10);
      minus.disabled = !(value > parseInt(input.min || "1", 10));
      plus.disabled = !!input.max && !(value < parseInt(input.max, 10));
    }
    input.addEventListener("change", function () { input.value = clamp(input, parseInt(input.value, 10)); refresh(); });
    box.classList.add("is-enhanced");
    refresh();
  });

  /* Basket: −/+ change the number at once and save after a short pause; remove saves at once. */
  var content = document.getElementById("basket-content");
  if (!content || !window.fetch || !window.FormData) { return; }
  var timer = null;
  var busy = false;
  var native = false;  /* set when falling back to an ordinary submit after a failed update */

  function form() { return document.getElementById("basket_formset"); }

  function updateHeader(box) {
    var count = box.getAttribute("data-basket-count") || "0";
    document.querySelectorAll(".action-link--basket .action-link__count").forEach(function (el) {
      el.textContent = count;
      el.classList.toggle("is-empty", count === "0");
    });
    document.querySelectorAll(".action-link--basket .action-link__total").forEach(function (el) {
      el.textContent = box.getAttribute("data-basket-total") || "";
    });
  }

  function announce(messages) {
    var region = document.getElementById("basket-flash");
    if (!region) { return; }
    region.innerHTML = "";
    Object.keys(messages || {}).forEach(function (level) {
      messages[level].forEach(function (html) {
        var p = document.createElement("p");
        p.className = "alert alert-" + (level === "error" ? "danger" : level);
        p.textContent = new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
        region.appendChild(p);
      });
    });
  }

  function save(submitter) {
    var f = form();
    if (!f) { return; }
    if (busy) { schedule(); return; }
    busy = true;
    f.classList.add("is-busy");
    var data;
    try { data = submitter ? new FormData(f, submitter) : new FormData(f); } catch (e) { data = new FormData(f); }
    fetch(f.action, { method: "POST", body: data, credentials: "same-origin",
                      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (payload) {
        var holder = document.createElement("div");
        holder.innerHTML = payload.content_html;
        var fresh = holder.querySelector("#basket-content");
        var current = document.getElementById("basket-content");
        current.parentNode.replaceChild(fresh, current);
        updateHeader(fresh);
        announce(payload.messages);
        busy = false;
      })
      .catch(function () {
        busy = false;
        f.classList.remove("is-busy");
        native = true;
        if (submitter) { f.requestSubmit(submitter); } else { f.submit(); }
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { save(null); }, 450);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#basket_formset button[type=submit]");
    if (!button) { return; }
    var step = parseInt(button.getAttribute("data-step") || "0", 10);
    event.preventDefault();
    if (!step) { clearTimeout(timer); save(button.name ? button : null); return; }
    var input = button.parentNode.querySelector("input[type=number]");
    input.value = clamp(input, parseInt(input.value, 10) + step);
    var line = button.closest(".cart-line");
    line.querySelector(".stepper__btn--minus").disabled = !(parseInt(input.value, 10) > 1);
    line.querySelector(".stepper__btn--plus").disabled = !!input.max && !(parseInt(input.value, 10) < parseInt(input.max, 10));
    schedule();
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("#basket_formset .stepper__input")) { schedule(); }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "basket_formset" || native) { return; }
    event.preventDefault();
    clearTimeout(timer);
    save(null);
  });
})();
