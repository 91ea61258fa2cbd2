// Layout helpers for narrow screens, loaded on every page (no inline script: the CSP forbids it).
// 1. The main menu folds behind a "Danh mục" button on a phone; without JavaScript it stays open.
// 2. A table wider than its box says so (a visible hint) and can be scrolled with the keyboard.
(function () {
  "use strict";

  function setUpMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("main-menu");
    if (!button || !menu) return;
    button.hidden = false;
    document.documentElement.classList.add("menu-js");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("open", !open);
    });
  }

  // 3. A header menu (<details class="menu">) closes on a click elsewhere or on Escape, as menus do.
  function setUpDropdowns() {
    var menus = document.querySelectorAll("details.menu");
    if (!menus.length) return;
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
  }

  function markWideTables() {
    var hint = document.body.getAttribute("data-scroll-hint");
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 2;
      var note = box.previousElementSibling;
      var hasNote = note && note.classList.contains("scroll-hint");
      if (wide) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("aria-label") && hint) box.setAttribute("aria-label", hint);
        if (!hasNote && hint) {
          var p = document.createElement("p");
          p.className = "scroll-hint";
          p.textContent = hint;
          box.parentNode.insertBefore(p, box);
        }
      } else if (hasNote) {
        note.remove();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpDropdowns();
    markWideTables();
    window.addEventListener("resize", markWideTables);
    document.body.addEventListener("htmx:afterSwap", markWideTables);
  });
})();
