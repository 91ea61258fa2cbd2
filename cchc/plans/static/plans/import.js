/* Plan import screens (no inline script: this file is served by the app itself).
 *
 * Upload: htmx reports the bytes sent (htmx:xhr:progress); the <progress> bar of the form shows them,
 * then says the document is being read while the server parses it.
 * Review: every section saves on its own under the import's version. After a save the server sends the
 * new version (HX-Trigger "importVersion"): every form on the page takes it, so the next save of another
 * section by the same person is not mistaken for a stale one. The counts at the top follow too.
 */
(function () {
  "use strict";

  function uploadForm(event) {
    var el = event.target;
    return el && el.closest ? el.closest("[data-upload-progress]") : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = uploadForm(event);
    if (!form) return;
    var box = form.querySelector(".upload-progress");
    box.hidden = false;
    form.querySelector("progress").value = 0;
    form.querySelector("button[type=submit]").disabled = true;
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event);
    if (!form || !event.detail.lengthComputable || !event.detail.total) return;
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    form.querySelector("progress").value = percent;
    form.querySelector("#upload-status").textContent =
      percent < 100 ? form.dataset.sending + " " + percent + "%" : form.dataset.reading;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = uploadForm(event);
    if (form && !event.detail.successful) {
      form.querySelector("button[type=submit]").disabled = false;
    }
  });

  document.addEventListener("importVersion", function (event) {
    var inputs = document.querySelectorAll("input[name=version]");
    for (var i = 0; i < inputs.length; i++) inputs[i].value = event.detail.value;
  });

  document.addEventListener("importCounts", function (event) {
    var counts = event.detail;
    var badges = document.querySelectorAll("[data-count]");
    for (var i = 0; i < badges.length; i++) {
      var badge = badges[i];
      var n = counts[badge.dataset.count];
      if (n === undefined) continue;
      badge.querySelector(".n").textContent = n;
      badge.classList.remove("ok", "warn", "bad");
      badge.classList.add(n ? badge.dataset.level || "warn" : "ok");
    }
  });
})();
