// storyline UI: small progressive enhancements; every page works without this file.
"use strict";

function linkSourceLines() {
  // A #pN link highlights paragraph N and the page lines it came from, and scrolls both into view.
  document.querySelectorAll("ol.source li.linked").forEach((li) => li.classList.remove("linked"));
  const match = /^#p(\d+)$/.exec(window.location.hash);
  const marks = document.querySelectorAll("ol.source mark");
  let first = marks.length ? marks[0].closest("li") : null;
  if (match) {
    const lines = document.querySelectorAll('ol.source li[data-p="' + match[1] + '"]');
    lines.forEach((li) => li.classList.add("linked"));
    first = first || lines[0] || null;
  }
  const pane = document.getElementById("source");
  if (first && pane) {
    pane.scrollTop = first.offsetTop - pane.offsetTop - 40;
  }
}

function toggleChrome() {
  const button = document.getElementById("toggle-chrome");
  if (!button) return;
  button.addEventListener("click", () => {
    const hidden = document.body.classList.toggle("hide-chrome");
    button.setAttribute("aria-pressed", String(hidden));
    button.textContent = hidden ? "Show removed chrome" : "Hide removed chrome";
  });
}

function searchShortcut() {
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement;
    if (event.key === "/" && !typing) {
      const box = document.querySelector(".top .search input");
      if (box) { event.preventDefault(); box.focus(); }
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  linkSourceLines();
  toggleChrome();
  searchShortcut();
  window.addEventListener("hashchange", linkSourceLines);
});
