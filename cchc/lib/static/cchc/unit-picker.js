// The unit picker (cchc.orgs.forms.UnitPicker): a <select data-unit-picker="URL"> becomes a search box whose
// suggestions come from the server (accent-insensitive: "tay son" finds "Tây Sơn"). The <select> stays in the
// form, hidden, and carries the chosen value; without JavaScript it is an ordinary dropdown.
// An ARIA 1.2 combobox: arrows move through the list, Enter chooses, Escape closes. No inline script (CSP).
(function () {
  "use strict";

  var counter = 0;

  function enhance(select) {
    if (select.dataset.unitPickerReady) return;
    select.dataset.unitPickerReady = "1";
    counter += 1;
    var url = select.getAttribute("data-unit-picker");
    var listId = "unit-picker-list-" + counter;
    var hintId = "unit-picker-hint-" + counter;

    var box = document.createElement("div");
    box.className = "unit-picker";
    var input = document.createElement("input");
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-describedby", hintId);
    input.placeholder = select.getAttribute("data-placeholder") || "";
    // The label points at the search box from now on.
    var id = select.id;
    if (id) {
      select.id = id + "_select";
      input.id = id;
    }
    if (select.required) {
      input.required = true;
      select.required = false;
    }
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "unit-picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var hint = document.createElement("small");
    hint.id = hintId;
    hint.className = "muted unit-picker-hint";
    hint.textContent = select.getAttribute("data-hint") || "";

    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(hint);
    select.parentNode.insertBefore(box, select.nextSibling);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;

    function chosenLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }
    input.value = chosenLabel();

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var nodes = list.querySelectorAll("[role=option]");
      if (!nodes.length) return;
      active = (index + nodes.length) % nodes.length;
      nodes.forEach(function (node, i) {
        node.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", nodes[active].id);
      nodes[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === String(item.id);
      });
      if (!option) {
        option = new Option(item.label, item.id);
        select.appendChild(option);
      }
      asked++; // a search still on its way must not open the list again over the form once a unit is chosen
      select.value = String(item.id);
      input.value = item.label;
      input.setCustomValidity("");
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(data) {
      items = data.results || [];
      list.innerHTML = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "unit-picker-none";
        none.textContent = select.getAttribute("data-none") || "";
        list.appendChild(none);
      }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.label;
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(item);
        });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var q = input.value.trim();
      var ticket = ++asked;
      var address = url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(q);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === asked && document.activeElement === input) show(data);
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      if (select.value) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("focus", function () {
      if (!input.value) search();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search();
        else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          event.preventDefault();
          choose(items[active]);
        } else if (!list.hidden && items.length === 1) {
          event.preventDefault();
          choose(items[0]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      close();
      // Text typed but nothing chosen: the box goes back to the unit actually chosen (or stays empty).
      if (input.value !== chosenLabel()) input.value = chosenLabel();
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-unit-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      enhanceAll(event.target);
    });
  });
})();
