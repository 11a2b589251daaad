// Material wraps wide tables in a horizontally scrollable box; a keyboard user must be
// able to focus that box to scroll it (WCAG 2.1.1), so it gets a tabindex and a name.
document$.subscribe(function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    var caption = box.previousElementSibling;
    if (caption && /^H[1-6]$/.test(caption.tagName)) {
      box.setAttribute("aria-label", caption.textContent);
    }
  });
});
