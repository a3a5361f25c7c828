/* coursesite: small enhancements. Every page is complete without this script. */
(function () {
  "use strict";

  var THEME_KEY = "coursesite-theme";

  /* Today's date as YYYY-MM-DD in the reader's time zone; ?today=YYYY-MM-DD overrides it. */
  function today() {
    var match = /[?&]today=(\d{4}-\d{2}-\d{2})/.exec(window.location.search);
    if (match) return match[1];
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function addDays(iso, days) {
    var d = new Date(iso + "T12:00:00");
    d.setDate(d.getDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var root = document.documentElement;
    function isDark() {
      var chosen = root.dataset.theme;
      if (chosen) return chosen === "dark";
      return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    }
    function show() {
      button.setAttribute("aria-pressed", isDark() ? "true" : "false");
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode */ }
      show();
    });
  }

  /* Schedule: dim past sessions, mark the next one, scroll it into view. */
  function markSchedule(day) {
    var rows = document.querySelectorAll("table.schedule tr[data-date]");
    var next = null;
    Array.prototype.forEach.call(rows, function (row) {
      var end = row.getAttribute("data-end") || row.getAttribute("data-date");
      row.classList.remove("is-past", "is-next");
      if (end < day) {
        row.classList.add("is-past");
      } else if (!next && !row.classList.contains("kind-holiday") && !row.classList.contains("attached")) {
        next = row;
      }
    });
    if (next) {
      next.classList.add("is-next");
      next.setAttribute("aria-current", "date");
      if (!window.location.hash && next.getBoundingClientRect().top > window.innerHeight * 0.6) {
        next.scrollIntoView({ block: "center" });
      }
    }
  }

  /* Overview: show the sessions of the next two weeks and the next deadlines. */
  function refreshGlance(day) {
    var glance = document.querySelector(".glance");
    if (!glance) return;
    var weekday = (new Date(day + "T12:00:00").getDay() + 6) % 7;
    var horizon = addDays(day, 13 - weekday);
    function filter(selector, keep) {
      var list = glance.querySelector(selector);
      if (!list) return;
      var limit = parseInt(list.getAttribute("data-limit") || "99", 10);
      var shown = 0;
      Array.prototype.forEach.call(list.children, function (item) {
        var ok = shown < limit && keep(item);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      var empty = list.parentNode.querySelector(".glance-empty");
      if (empty) empty.hidden = shown > 0;
    }
    filter(".glance-sessions", function (item) {
      return item.getAttribute("data-end") >= day && item.getAttribute("data-date") <= horizon;
    });
    filter(".glance-deadlines", function (item) {
      return item.getAttribute("data-date") >= day;
    });
  }

  function start() {
    var day = today();
    setupThemeToggle();
    markSchedule(day);
    refreshGlance(day);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
