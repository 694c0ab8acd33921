// Roster admin console: the one script (CSP script-src 'self'). Copy buttons only; every page works
// without it, the values being in read-only fields that can be selected and copied by hand.
"use strict";
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) return;
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function (text) {
      button.textContent = text;
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done("Copied"); }, function () { done("Press Ctrl+C"); });
    } else {
      done(document.execCommand && document.execCommand("copy") ? "Copied" : "Press Ctrl+C");
    }
  });
});
