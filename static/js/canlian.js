// Progressive enhancement only: every page works without this file.
// The organisation tree: a toggle button loads a unit's children once (htmx) and then
// shows or hides them, keeping aria-expanded true to what is on screen.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".tree__toggle");
  if (!button) return;
  var list = document.getElementById(button.getAttribute("aria-controls"));
  if (!list) return;
  var expanded = button.getAttribute("aria-expanded") === "true";
  if (!expanded && !list.dataset.loaded && window.htmx) {
    list.dataset.loaded = "1";
    window.htmx.ajax("GET", button.dataset.childrenUrl, { target: list, swap: "innerHTML" });
  }
  button.setAttribute("aria-expanded", expanded ? "false" : "true");
  list.hidden = expanded;
});

// After a submission, take the keyboard and screen reader to what it produced: the
// summary of errors (role="alert", tabindex="-1") or the result of an import.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary, .import-result[tabindex]");
  if (target) target.focus();
});

// A link in the error summary takes the focus to its field (a plain fragment link only
// scrolls) and shows the field's label above it, not just the input.
document.addEventListener("click", function (event) {
  var link = event.target.closest('.error-summary a[href^="#"]');
  if (!link) return;
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  var label = document.querySelector('label[for="' + field.id + '"]');
  (label || field).scrollIntoView();
  field.focus({ preventScroll: true });
});

// A list whose filter bar replaced it (htmx) says its new count in the status line beside
// it, so a screen reader hears the result without leaving the search box; and the address
// takes the query, so it can be bookmarked, shared or reloaded. The history is ours, not
// htmx's: htmx would keep copies of the page (personal data) in the session storage, so
// going back reloads the list from the server instead.
var listInAddress = false;
document.addEventListener("htmx:afterSwap", function (event) {
  var list = event.detail.target;
  if (!list || !list.classList || !list.classList.contains("object-list")) return;
  var status = document.getElementById(list.dataset.status);
  var caption = list.querySelector("caption");
  if (status) status.textContent = caption ? caption.textContent : "";
  var info = event.detail.pathInfo || {};
  var path = info.responsePath || info.finalRequestPath;
  if (path) {
    var url = new URL(path, location.href);
    if (url.href !== location.href) {
      history.pushState({ canlianList: true }, "", url.href);
      listInAddress = true;
    }
  }
});
window.addEventListener("popstate", function () {
  if (listInAddress) location.reload();
});

// The unit picker (orgs/widgets.py): the text box becomes a combobox (ARIA 1.2 pattern)
// whose listbox shows the units of the user's area matching what is typed, fetched from
// orgs:unit_picker with htmx. Up and Down move through the list, Enter takes a unit,
// Escape closes the list. Without this script the server reads the code or name typed.
(function () {
  function setUp(picker) {
    var input = picker.querySelector(".unit-picker__input");
    var value = picker.querySelector(".unit-picker__value");
    var list = picker.querySelector(".unit-picker__list");
    var status = picker.querySelector(".unit-picker__status");
    if (!input || !value || !list || !window.htmx || picker.dataset.ready) return;
    picker.dataset.ready = "1";
    var timer = null;
    var active = -1;
    var asked = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
    }
    function say(text) {
      if (status) status.textContent = text;
    }
    function highlight(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function show(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) highlight(-1);
    }
    function choose(option) {
      input.value = option.dataset.label;
      value.value = option.dataset.value;
      show(false);
      say(picker.dataset.msgChosen.replace("{unit}", option.dataset.label));
    }
    function loaded(query) {
      // A slower answer to an earlier query may land last: ask again for what is typed now.
      if (query !== input.value.trim()) {
        load();
        return;
      }
      var all = options();
      all.forEach(function (option, i) {
        option.id = list.id + "-" + i;
      });
      var limit = parseInt(picker.dataset.limit, 10);
      if (!all.length) {
        show(false);
        say(picker.dataset.msgNone);
        return;
      }
      show(document.activeElement === input);
      highlight(-1);
      var message = all.length >= limit ? picker.dataset.msgMore : picker.dataset.msgFound;
      say(message.replace("{n}", String(all.length)));
    }
    function load() {
      var query = input.value.trim();
      asked = query;
      if (!query) {
        list.innerHTML = "";
        show(false);
        say("");
        return;
      }
      var url = picker.dataset.url;
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      window.htmx.ajax("GET", url, { target: list, swap: "innerHTML" }).then(function () {
        if (asked === query) loaded(query);
      });
    }

    input.addEventListener("input", function () {
      value.value = ""; // what is typed no longer names the unit chosen
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    });
    input.addEventListener("keydown", function (event) {
      var all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        if (list.hidden) show(true);
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active < 0 ? (step > 0 ? 0 : all.length - 1)
                              : (active + step + all.length) % all.length;
        highlight(next);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && all[active]) {
          event.preventDefault(); // take the unit; do not submit the form yet
          choose(all[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          show(false);
        }
      }
    });
    input.addEventListener("blur", function () {
      show(false);
    });
    // A press on an option keeps the focus in the text box; the click takes the unit.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) choose(option);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-unit-picker]").forEach(setUp);
  });
})();

// A form is sent once: while a form (method post, a whole page load) is being sent, its
// submit buttons are disabled and the form is busy, so a second tap or Enter sends nothing
// (the server refuses a repeat as well: core.guards.OnceGuard). Back on the page (the
// back-forward cache keeps it as it was left) they work again. htmx forms are htmx's.
var SUBMIT_BUTTONS = 'button:not([type]), button[type="submit"], input[type="submit"]';
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
  if (form.hasAttribute("hx-post") || form.hasAttribute("data-hx-post")) return;
  if (form.target && form.target !== "_self") return;
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "1";
  form.setAttribute("aria-busy", "true");
  var buttons = Array.prototype.filter.call(form.querySelectorAll(SUBMIT_BUTTONS),
    function (button) { return !button.disabled; });
  // Disabled after this event: a button disabled now would not send its own name and value.
  window.setTimeout(function () {
    buttons.forEach(function (button) {
      button.disabled = true;
      button.dataset.disabledWhileSending = "1";
    });
  }, 0);
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-disabled-while-sending]").forEach(function (button) {
      button.disabled = false;
      delete button.dataset.disabledWhileSending;
    });
  });
});

// ---- the person picker (ledgers: assistance and volunteer activities) ----------------------
// Enter in the picker's search box searches (htmx "search") instead of sending the form; a
// person ticked in the list found joins the chosen ones, so the next search keeps them.
document.addEventListener("keydown", function (event) {
  var box = event.target.closest && event.target.closest("[data-person-find]");
  if (!box || event.key !== "Enter") return;
  event.preventDefault();
  if (window.htmx) window.htmx.trigger(box, "search");
});
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".person-picker__found input[type=checkbox]")) return;
  var picker = input.closest(".person-picker");
  var chosen = picker && picker.querySelector(".person-picker__chosen");
  if (input.checked && chosen) chosen.appendChild(input.closest("li"));
});
