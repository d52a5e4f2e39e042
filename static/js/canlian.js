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
