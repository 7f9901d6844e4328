// Accord web desk: small, hand-written, optional. Every page works without it; with it the
// browser tells the desk its time zone (so times show in the viewer's zone), countdowns tick,
// lists and cases refresh while the viewer lets them, and single-key shortcuts work (listed
// under "?", and can be switched off there).
(function () {
  "use strict";

  // The viewer's zone, for the server to write times in, told once (a zone chosen on the account
  // page stays); the first time, a page showing times reloads to show them in it.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var current = (document.cookie.match(/(?:^|; )accord_zone=([^;]*)/) || [])[1];
    if (zone && !current) {
      document.cookie = "accord_zone=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      if (document.querySelector("[data-zone-sensitive]")) { location.reload(); return; }
    }
  } catch (e) { /* no zone: times stay in UTC and the contract's zone */ }

  var store = {
    get: function (key, fallback) { try { var v = localStorage.getItem("accord." + key); return v === null ? fallback : v; } catch (e) { return fallback; } },
    set: function (key, value) { try { localStorage.setItem("accord." + key, value); } catch (e) { /* private mode */ } }
  };

  function words(seconds) {
    var negative = seconds < 0, rest = Math.floor(Math.abs(seconds) / 60);
    var d = Math.floor(rest / 1440), h = Math.floor((rest % 1440) / 60), m = rest % 60, parts = [];
    if (d) parts.push(d + " d");
    if (h) parts.push(h + " h");
    if (!d && (m || !parts.length)) parts.push(m + " min");
    return { text: parts.join(" "), past: negative };
  }

  // Countdowns: text that ticks each 30 s, counted from the desk's clock (the page says what time
  // it was made; the browser's own clock may be off). Never announced: the live region below says
  // only when something changes state.
  var skew = 0;
  function learnSkew(html) {
    var stamp = Date.parse((html || document.body).getAttribute("data-now"));
    if (!isNaN(stamp)) skew = stamp - Date.now();
  }
  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      var due = Date.parse(element.getAttribute("data-countdown"));
      if (isNaN(due)) return;
      var left = words((due - now) / 1000);
      element.textContent = left.past ? "due " + left.text + " ago" : "due in " + left.text + " on the wall clock";
    });
  }

  // Live updates: the page asks for itself again every 30 s (cheaply: the desk answers 304 when
  // nothing changed) and swaps in what changed; a polite announcement says that it did.
  var live = document.getElementById("live-status");
  var main = document.getElementById("main");
  var refreshable = main && main.hasAttribute("data-refresh");
  var etag = null;
  var paused = store.get("paused", "no") === "yes";

  function announce(text) { if (live) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); } }

  function stateSummary(root) {
    return Array.prototype.map.call(root.querySelectorAll("[data-state]"), function (e) { return e.getAttribute("data-state"); }).join(",");
  }

  // Something typed or chosen in a form of the page and not sent yet: a refresh would lose it.
  function dirty() {
    var fields = main.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden") continue;
      if (f.type === "checkbox" || f.type === "radio") { if (f.checked !== f.defaultChecked) return true; continue; }
      if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        continue;
      }
      if (f.value !== f.defaultValue) return true;
    }
    return false;
  }

  function refresh() {
    if (paused || !refreshable || document.hidden) return;
    if (main.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) return;
    if (dirty()) return;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(location.href, { headers: headers, credentials: "same-origin" }).then(function (response) {
      if (response.status === 304 || !response.ok) return null;
      etag = response.headers.get("ETag");
      return response.text();
    }).then(function (html) {
      if (!html) return;
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById("main");
      if (!fresh) return;
      learnSkew(page.body);
      var before = stateSummary(main), after = stateSummary(fresh);
      // Folded forms the viewer opened stay open.
      var opened = Array.prototype.map.call(main.querySelectorAll("details[open] > summary"), function (s) { return s.textContent; });
      main.innerHTML = fresh.innerHTML;
      Array.prototype.forEach.call(main.querySelectorAll("details > summary"), function (s) {
        if (opened.indexOf(s.textContent) >= 0) s.parentNode.open = true;
      });
      tick();
      if (before !== after) announce("Updated: a state on this page changed.");
    }).catch(function () { /* offline for a moment: try again next time */ });
  }

  function addLiveControl() {
    if (!refreshable) return;
    var bar = document.createElement("p");
    bar.className = "toolbar live-control";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    function label() {
      button.textContent = paused ? "Resume live updates" : "Pause live updates";
      button.setAttribute("aria-pressed", paused ? "true" : "false");
    }
    button.addEventListener("click", function () { paused = !paused; store.set("paused", paused ? "yes" : "no"); label(); announce(paused ? "Live updates paused." : "Live updates resumed."); });
    label();
    bar.appendChild(button);
    main.insertBefore(bar, main.firstChild);
  }

  // Single-key shortcuts (WCAG 2.1.4: listed, and can be switched off).
  var shortcuts = [
    ["?", "Show or hide this list", function () { toggleHelp(); }],
    ["/", "Search cases", function () { var q = document.getElementById("q"); if (q) q.focus(); else location.href = document.body.getAttribute("data-cases") || "/"; }],
    ["q", "Queues (staff)", function () { if (document.body.getAttribute("data-staff") === "yes") location.href = "/console/queues"; }],
    ["c", "Cases", function () { location.href = document.body.getAttribute("data-cases") || "/"; }],
    ["r", "Write a reply on a case", function () { var body = document.getElementById("body"); if (body) body.focus(); }],
    ["p", "Pause or resume live updates", function () { var b = document.querySelector(".live-control button"); if (b) b.click(); }]
  ];
  var enabled = store.get("shortcuts", "on") === "on";
  var help = null;

  function toggleHelp() {
    if (!help) {
      help = document.createElement("dialog");
      help.setAttribute("aria-labelledby", "shortcuts-heading");
      var rows = shortcuts.map(function (s) { return "<tr><th scope=\"row\"><kbd>" + s[0] + "</kbd></th><td>" + s[1] + "</td></tr>"; }).join("");
      help.innerHTML = "<h2 id=\"shortcuts-heading\">Keyboard shortcuts</h2><table><tbody>" + rows + "</tbody></table>" +
        "<p><label><input type=\"checkbox\" id=\"shortcuts-on\"" + (enabled ? " checked" : "") + "> Use single-key shortcuts</label></p>" +
        "<p><button type=\"button\" id=\"shortcuts-close\">Close</button></p>";
      document.body.appendChild(help);
      help.querySelector("#shortcuts-on").addEventListener("change", function (e) { enabled = e.target.checked; store.set("shortcuts", enabled ? "on" : "off"); });
      help.querySelector("#shortcuts-close").addEventListener("click", function () { help.close(); });
    }
    if (help.open) help.close(); else help.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable)) return;
    if (!enabled && event.key !== "?") return;
    for (var i = 0; i < shortcuts.length; i++) {
      if (shortcuts[i][0] === event.key) { event.preventDefault(); shortcuts[i][2](); return; }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    main = document.getElementById("main");
    live = document.getElementById("live-status");
    refreshable = main && main.hasAttribute("data-refresh");
    addLiveControl();
    learnSkew();
    tick();
    setInterval(tick, 30000);
    setInterval(refresh, 30000);
  });
})();
