/* coursesite: small enhancements. Every page is complete without this script. */
(function () {
  "use strict";

  var THEME_KEY = "coursesite-theme";
  var MAX_RESULTS = 10;
  var MAX_SECTIONS = 3;
  var EXCERPT_WORDS = 18;
  var ROW_WORDS = 14;
  /* The search's messages; a page in another language carries its own (data-messages on the
     search form, from the gettext catalogs). {name} is filled in. */
  var TEXT = {
    file: "Search needs the site to be served by a web server: browsers do not allow it " +
      "for pages opened as files. Use the published site, or run python3 -m http.server in the " +
      "built folder and open the address it prints.",
    searching: "Searching…",
    unavailable: "Search is unavailable: the search index of this site could not be loaded.",
    none: "No results for “{query}”{where}.",
    one: "{count} result for “{query}”{where}",
    many: "{count} results for “{query}”{where}",
    where: " in all courses",
    best: "; showing the best {shown}.",
    end: "."
  };

  function say(key, values) {
    return TEXT[key].replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }

  /* Today's date as YYYY-MM-DD in the reader's time zone; ?today=YYYY-MM-DD overrides it. */
  function today() {
    var match = /[?&]today=(\d{4}-\d{2}-\d{2})/.exec(window.location.search);
    if (match) return match[1];
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function addDays(iso, days) {
    var d = new Date(iso + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* ---- light and dark ---- */

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
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* storage blocked: this page only */ }
      show();
    });
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) query.addEventListener("change", show);
    }
  }

  /* ---- schedule: dim past sessions, mark the next one (and its same-day rows) ---- */

  function markSchedule(day) {
    var rows = document.querySelectorAll("table.schedule tr[data-date]");
    var next = null;
    Array.prototype.forEach.call(rows, function (row) {
      var end = row.getAttribute("data-end") || row.getAttribute("data-date");
      row.classList.remove("is-past", "is-next", "is-next-same-day");
      row.removeAttribute("aria-current");
      if (end < day) {
        row.classList.add("is-past");
      } else if (!next && !row.classList.contains("kind-holiday") && !row.classList.contains("attached")) {
        next = row;
      }
    });
    if (!next) return;
    next.classList.add("is-next");
    next.setAttribute("aria-current", "date");
    var badge = next.querySelector(".next-badge");
    if (badge) badge.hidden = false;
    for (var row = next.nextElementSibling; row && row.classList.contains("attached"); row = row.nextElementSibling) {
      row.classList.add("is-next-same-day");
    }
    if (!window.location.hash && next.getBoundingClientRect().top > window.innerHeight * 0.6) {
      next.scrollIntoView({ block: "center" });
    }
  }

  /* ---- deliverables: mark the ones whose day is past ---- */

  function markDeliverables(day) {
    var rows = document.querySelectorAll("table.deliverables tr[data-date]");
    Array.prototype.forEach.call(rows, function (row) {
      var past = row.getAttribute("data-date") < day;
      row.classList.toggle("is-past", past);
      var badge = row.querySelector(".past-badge");
      if (badge) badge.hidden = !past;
    });
  }

  /* ---- overview: the sessions of this week and the next, and the next deadlines ---- */

  function refreshGlance(day) {
    var glance = document.querySelector(".glance");
    if (!glance) return;
    var weekday = (new Date(day + "T12:00:00Z").getUTCDay() + 6) % 7;
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
      list.hidden = shown === 0;
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

  /* ---- announcements: "New" for the last seven days; the overview hides expired ones ---- */

  function markNews(day) {
    var weekAgo = addDays(day, -7);
    var items = document.querySelectorAll(".news-item[data-date]");
    Array.prototype.forEach.call(items, function (item) {
      var date = item.getAttribute("data-date");
      var badge = item.querySelector(".new-badge");
      if (badge) badge.hidden = !(date > weekAgo && date <= day);
    });
    var latest = document.querySelector(".latest-news .news");
    if (!latest) return;
    var limit = parseInt(latest.getAttribute("data-limit") || "99", 10);
    var shown = 0;
    Array.prototype.forEach.call(latest.children, function (item) {
      var expires = item.getAttribute("data-expires");
      var ok = shown < limit && !(expires && expires < day);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    latest.parentNode.hidden = shown === 0;
  }

  /* ---- search: Pagefind's index, loaded from this site on first use ---- */

  function setupSearch() {
    var form = document.querySelector("form.search");
    var panel = document.getElementById("search-results");
    if (!form || !panel) return;
    var input = form.querySelector("input");
    var status = panel.querySelector(".search-status");
    var list = panel.querySelector(".search-hits");
    var course = form.getAttribute("data-course");
    var language = document.documentElement.lang;
    var own = form.getAttribute("data-messages");
    if (own) {
      var parsed = JSON.parse(own);
      Object.keys(parsed).forEach(function (key) { TEXT[key] = parsed[key]; });
    }
    /* Counts in the page's digits (Persian ۱۲), as the server writes its numbers. */
    function number(n) {
      return own && window.Intl ? new Intl.NumberFormat(language).format(n) : String(n);
    }
    var served = window.location.protocol !== "file:";
    var loading = null;
    var timer = null;
    var latest = 0;
    form.hidden = false;

    /* The site's index (search.py), in parts on a large site: parts.json says which part holds
       each course. Pagefind loads the part in the page's language; the catalog, which searches
       every course, merges every part in every language. (A part's address is written with "./"
       so that Pagefind does not take it for the primary index, which it skips.) */
    function load() {
      if (!loading) {
        var listing = new URL(form.getAttribute("data-pagefind"), document.baseURI).href;
        var root = listing.replace(/[^\/]*$/, "");
        loading = fetchJSON(listing).then(function (parts) {
          var first = course ? parts.courses[course] : parts.parts[0];
          if (first === undefined) throw new Error("this course is not in the search index");
          return import(root + first + "/pagefind.js").then(function (pagefind) {
            return pagefind.options({ excerptLength: EXCERPT_WORDS }).then(function () {
              if (course) return null;
              return Promise.all(parts.parts.map(function (part) {
                return fetchJSON(root + part + "/pagefind-entry.json").then(function (entry) {
                  var skip = part === first ? primaryLanguage(entry.languages) : null;
                  return Promise.all(Object.keys(entry.languages).filter(function (language) {
                    return language !== skip;
                  }).map(function (language) {
                    return pagefind.mergeIndex(root + part + "/./", { language: language });
                  }));
                });
              }));
            }).then(function () { return pagefind; });
          });
        });
      }
      return loading;
    }

    function fetchJSON(url) {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.json();
      });
    }

    /* The language whose part Pagefind loads first: the page's, else the one with most pages. */
    function primaryLanguage(languages) {
      var lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
      if (languages[lang]) return lang;
      if (languages[lang.split("-")[0]]) return lang.split("-")[0];
      return Object.keys(languages).sort(function (a, b) {
        return languages[b].page_count - languages[a].page_count;
      })[0];
    }

    function clear() {
      latest += 1;
      status.textContent = "";
      list.textContent = "";
      list.hidden = true;
    }

    function run(query) {
      var ticket = ++latest;
      if (!served) {
        status.textContent = TEXT.file;
        return;
      }
      if (!query.trim()) {
        clear();
        return;
      }
      status.textContent = TEXT.searching;
      load().then(function (pagefind) {
        return pagefind.search(query, course ? { filters: { course: course } } : {});
      }).then(function (search) {
        if (ticket !== latest) return null;
        return Promise.all(search.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
          .then(function (pages) {
            if (ticket === latest) show(query, search.results.length, pages);
          });
      }).catch(function () {
        if (ticket !== latest) return;
        status.textContent = TEXT.unavailable;
        list.hidden = true;
      });
    }

    function show(query, total, pages) {
      list.textContent = "";
      pages.forEach(function (page) { list.appendChild(resultItem(page)); });
      list.hidden = pages.length === 0;
      var values = { query: query, where: course ? "" : TEXT.where, count: number(total), shown: number(pages.length) };
      if (total === 0) status.textContent = say("none", values);
      else status.textContent = say(total === 1 ? "one" : "many", values) + say(total > pages.length ? "best" : "end", values);
    }

    function resultItem(page) {
      var item = element("li", "search-hit");
      var link = element("a", null, page.meta.title || page.url);
      link.href = page.url;
      var heading = element("p", "search-hit-title");
      heading.appendChild(link);
      var title = page.meta.title || "";
      if (!course && page.meta.course && title.indexOf(page.meta.course) < 0) {
        heading.appendChild(element("span", "meta", " · " + page.meta.course));
      }
      item.appendChild(heading);
      var sections = sectionsOf(page);
      if (sections.length === 0) {
        item.appendChild(excerpt(page, 0, Infinity, "p"));
        return item;
      }
      var sublist = element("ul", "search-sections");
      sections.slice(0, MAX_SECTIONS).forEach(function (section) {
        var li = element("li");
        var sublink = element("a");
        sublink.href = page.url.split("#")[0] + "#" + section.id;
        li.appendChild(sublink);
        if (section.title) {
          sublink.textContent = section.title;
          li.appendChild(excerpt(page, section.start, section.end, "p"));
        } else {
          /* A row or item without a heading of its own: its words are its title, matches marked. */
          sublink.appendChild(excerpt(page, section.start, section.end, "span"));
        }
        sublist.appendChild(li);
      });
      item.appendChild(sublist);
      return item;
    }

    function words(page) {
      if (!page._words) page._words = (page.raw_content || page.content || "").split(/\s+/);
      return page._words;
    }

    /* The parts of the page (headings, schedule rows, readings: any element with an id) that hold matches. */
    function sectionsOf(page) {
      var anchors = (page.anchors || []).filter(function (a) { return a.id && a.id !== "main"; })
        .sort(function (a, b) { return a.location - b.location; });
      var found = [];
      var seen = {};
      page.locations.slice().sort(function (a, b) { return a - b; }).forEach(function (location) {
        var index = -1;
        for (var i = 0; i < anchors.length && anchors[i].location <= location; i++) index = i;
        if (index < 0 || seen[index]) return;
        seen[index] = true;
        var anchor = anchors[index];
        var end = index + 1 < anchors.length ? anchors[index + 1].location : Infinity;
        var title = /^h\d$/i.test(anchor.element) ? (anchor.text || "").trim() : "";
        found.push({ id: anchor.id, title: title, start: anchor.location, end: end });
      });
      return found;
    }

    /* Words between word positions start and end, matches marked: in a "p" the words around the
       first match, in a "span" (a row's own words, used as its link) the first ones. */
    function excerpt(page, start, end, tag) {
      var all = words(page);
      var inline = tag === "span";
      end = Math.min(end, all.length);
      var matches = page.locations.filter(function (l) { return l >= start && l < end; });
      var first = matches.length ? Math.min.apply(null, matches) : start;
      var from = inline ? start : Math.max(start, first - Math.floor(EXCERPT_WORDS / 3));
      var to = Math.min(end, from + (inline ? ROW_WORDS : EXCERPT_WORDS));
      var node = element(tag, inline ? null : "search-excerpt");
      if (from > start) node.appendChild(document.createTextNode("… "));
      for (var i = from; i < to; i++) {
        if (i > from) node.appendChild(document.createTextNode(" "));
        var word = inline && i === to - 1 ? all[i].replace(/\.$/, "") : all[i];
        if (matches.indexOf(i) >= 0) node.appendChild(element("mark", null, word));
        else node.appendChild(document.createTextNode(word));
      }
      if (to < end) node.appendChild(document.createTextNode(" …"));
      return node;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 150);
    });
    input.addEventListener("focus", function () {
      if (!served) status.textContent = TEXT.file;
      else load().catch(function () { /* reported when a search runs */ });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(input.value);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        clear();
      } else if (event.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
      event.preventDefault();
      if (event.key === "Escape") { input.focus(); return; }
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement) + (event.key === "ArrowDown" ? 1 : -1);
      if (at < 0) input.focus();
      else if (at < links.length) links[at].focus();
    });
    var initial = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (initial) {
      input.value = decodeURIComponent(initial[1].replace(/\+/g, " "));
      run(input.value);
    }
  }

  function start() {
    var day = today();
    setupThemeToggle();
    setupSearch();
    markSchedule(day);
    markDeliverables(day);
    refreshGlance(day);
    markNews(day);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
