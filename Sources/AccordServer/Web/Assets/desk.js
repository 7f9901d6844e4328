// Accord web desk: small, hand-written, optional. Every page works without it; with it the
// browser tells the desk its time zone (so times show in the viewer's zone), countdowns tick,
// and lists refresh while the viewer lets them.
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
})();
