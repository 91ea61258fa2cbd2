// The result form: show only the periods (deliverables) of the chosen obligation. No inline scripts (CSP).
(function () {
  "use strict";
  function sync(form) {
    var obligation = form.querySelector("select[name=obligation]");
    var deliverable = form.querySelector("select[name=deliverable]");
    if (!obligation || !deliverable) return;
    var chosen = obligation.value;
    var visible = 0;
    Array.prototype.forEach.call(deliverable.options, function (option) {
      var owner = option.getAttribute("data-obligation");
      if (!owner) return;  // the empty choice
      var show = owner === chosen;
      option.hidden = !show;
      option.disabled = !show;
      if (show) visible += 1;
      if (!show && option.selected) deliverable.value = "";
    });
    var field = deliverable.closest(".field");
    if (field) field.hidden = visible === 0;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-result-form]").forEach(function (form) {
      sync(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "obligation") sync(form);
      });
    });
  });
})();
