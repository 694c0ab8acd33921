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

// Provisioning log (Pages/Log.cshtml): on the newest page, new entries appear without reloading.
// The server sends rows as JSON data; every cell is built with textContent, never as HTML.
(function () {
  var table = document.getElementById("log-entries");
  // Only the newest page carries the address of its live entries.
  var status = document.getElementById("live-status");
  var url = status && status.getAttribute("data-live-url");
  if (!table || !url) return;
  var body = table.tBodies[0];
  var empty = document.getElementById("no-entries");
  var failures = 0;

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text || "";
      td.appendChild(a);
    } else {
      td.textContent = text == null ? "" : String(text);
    }
    row.appendChild(td);
    return td;
  }

  function rowOf(entry) {
    var tr = document.createElement("tr");
    tr.id = "entry-" + entry.id;
    tr.className = "log-new";
    cell(tr, entry.time, entry.entryUrl);
    cell(tr, entry.idp);
    cell(tr, entry.operation);
    cell(tr, entry.target, entry.targetUrl);
    var outcome = cell(tr, "");
    var badge = document.createElement("span");
    var failed = entry.outcome === "failed";
    badge.className = "badge " + (failed ? "badge-bad" : "badge-good");
    badge.textContent = failed ? "Failed" : "Succeeded";
    outcome.appendChild(badge);
    cell(tr, entry.status);
    cell(tr, entry.words).className = "log-words";
    return tr;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("json") < 0) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        var entries = data.entries || [];
        // Newest first: inserting each before the previous top keeps the order.
        for (var i = entries.length - 1; i >= 0; i--) {
          if (document.getElementById("entry-" + entries[i].id)) continue;
          body.insertBefore(rowOf(entries[i]), body.firstChild);
        }
        if (entries.length > 0) {
          if (empty) empty.hidden = true;
          if (status) status.textContent = entries.length === 1 ? "1 new entry." : entries.length + " new entries.";
        }
        url = url.replace(/([?&])after=\d*/, "$1after=" + data.newest);
        setTimeout(poll, 5000);
      })
      .catch(function () {
        // Signed out, or Roster restarting: try a few more times, then say so and stop.
        failures++;
        if (failures < 5) setTimeout(poll, 10000);
        else if (status) status.textContent = "Live updates stopped; reload the page to see new entries.";
      });
  }
  setTimeout(poll, 5000);
})();
