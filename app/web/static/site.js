// Every page: Ctrl+Shift+F (or "/" outside a text field) focuses the search box.
(() => {
  "use strict";
  const box = document.getElementById("search-box");
  if (!box) return;
  document.addEventListener("keydown", (event) => {
    const inField = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    const ctrl = event.ctrlKey || event.metaKey;
    if ((ctrl && event.shiftKey && event.code === "KeyF") || (event.key === "/" && !inField && !ctrl && !event.altKey)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
