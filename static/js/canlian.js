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
