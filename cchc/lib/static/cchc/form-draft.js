/* Keeps what a person typed in a form (data-keep-draft="name") in this tab's sessionStorage until the
   server has accepted it: if the submit fails (the database or the server is down, the connection drops),
   going back or reloading brings the text back. The page that confirms acceptance carries
   data-clear-draft="name" and removes it. Files, tokens, the CAPTCHA and hidden fields are never kept;
   sessionStorage ends with the tab, so a shared computer does not keep a citizen's details. */
(function () {
  "use strict";
  var PREFIX = "cchc-draft:";
  var SKIP = /^(csrfmiddlewaretoken|form_token|captcha_token|captcha_answer|website|pow_\w+)$/;

  function storage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  function kept(field) {
    return field.name && !SKIP.test(field.name) && ["file", "hidden", "password", "submit", "button"].indexOf(field.type) < 0;
  }

  function save(form, store, key) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) data[field.name] = field.value;
      } else {
        data[field.name] = field.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify(data));
    } catch (e) { /* storage full or refused: the form still works */ }
  }

  function restore(form, saved) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !Object.prototype.hasOwnProperty.call(saved, field.name)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = saved[field.name] === field.value;
      } else if (!field.value) {
        field.value = saved[field.name];
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (!store) return;
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      store.removeItem(PREFIX + el.getAttribute("data-clear-draft"));
    });
    document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
      var key = PREFIX + form.getAttribute("data-keep-draft");
      var saved = null;
      try {
        saved = JSON.parse(store.getItem(key) || "null");
      } catch (e) {
        saved = null;
      }
      if (saved) restore(form, saved);
      form.addEventListener("input", function () { save(form, store, key); });
      form.addEventListener("change", function () { save(form, store, key); });
      form.addEventListener("submit", function () { save(form, store, key); });
    });
  });
})();
