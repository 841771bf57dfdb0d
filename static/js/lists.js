// List pages: the filters are folded into a <details> element so that a narrow screen starts
// with the rows; on a wide screen they start unfolded. Without this script they stay folded
// (and unfold on a click), so nothing depends on it.
(function () {
  "use strict";
  function unfoldOnWideScreens() {
    if (!window.matchMedia("(min-width: 50em)").matches) {
      return;
    }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", unfoldOnWideScreens);
  } else {
    unfoldOnWideScreens();
  }
})();
