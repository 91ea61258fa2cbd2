/* Report pages: ask before an action that locks something (the button's data-confirm says what), and show the
   message about what was just done beside the place where it was done ([data-messages-here]) rather than at the
   top of a long page. Without this script the actions still work and the messages stay at the top. */
(function () {
  "use strict";
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest("button[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener("DOMContentLoaded", function () {
    var here = document.querySelector("[data-messages-here]");
    var messages = document.querySelector(".messages");
    if (!here || !messages) return;
    here.appendChild(messages);
    messages.setAttribute("tabindex", "-1");
    messages.scrollIntoView({ block: "center" });
    messages.focus({ preventScroll: true });
  });
})();
