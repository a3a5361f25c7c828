"""A stored page brought to another day: its day marks set again from the dates it carries.

Some of what a course page shows depends only on the build day and on dates the page itself
carries as `data-*` attributes, which site.js reads to mark the page again in the browser: which
at-a-glance items are shown (partials/glance.html), which announcements are on the overview and
marked new (partials/news.html), which deliverables are past (partials/deliverables.html). When
nothing else in a course's output changes between two days (day_bounds.py: its `fixed` interval),
the build cache (stored_builds.py) takes the stored pages and sets these marks for the new day,
exactly as the templates would, without loading the course. The templates write these tags in a
fixed form, which is what is rewritten here; tests/test_day_bounds.py compares the result with a
build from scratch on every day it tries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# What a page with day marks contains; a page without any of them is the same on every day.
MARKERS = (b'<ul class="glance-', b'<li class="news-item', b'<table class="deliverables">')
NEW_DAYS = 7  # announcements.NewsItem.NEW_DAYS
NO_DAY = dt.date(1, 1, 1)  # before every date: the marks of a page made to differ only in them


def has_marks(page: bytes) -> bool:
    return any(marker in page for marker in MARKERS)


def mark_page(page: bytes, today: dt.date) -> bytes:
    """`page` as rendered on `today`, for a page rendered on another day of the same fixed interval;
    ValueError when it is not a page the templates wrote."""
    return _mark(page.decode("utf-8"), today).encode("utf-8")


def _mark(html: str, today: dt.date) -> str:
    html = _glance(html, '<ul class="glance-sessions"', today, _session_due)
    html = _glance(html, '<ul class="glance-deadlines"', today, _deadline_due)
    html = _news(html, today)
    return _deliverables(html, today)


def _session_due(tag: str, today: dt.date) -> bool:
    # render.at_a_glance: from today to the end of next week.
    horizon = today + dt.timedelta(days=13 - today.weekday())
    return _date(tag, "data-end") >= today and _date(tag, "data-date") <= horizon


def _deadline_due(tag: str, today: dt.date) -> bool:
    return _date(tag, "data-date") >= today


def _glance(html: str, opening: str, today: dt.date, shown: Callable[[str, dt.date], bool]) -> str:
    start = html.find(opening)
    if start < 0:
        return html
    end = html.index("</ul>", start)
    pieces = [html[:start]]
    tag_end = html.index(">", start) + 1
    list_tag = html[start:tag_end]
    limit = int(_value(list_tag, "data-limit") or 0)
    count, at = 0, tag_end
    body: list[str] = []
    while True:
        item = html.find("<li data-date=", at, end)
        if item < 0:
            break
        item_end = html.index(">", item) + 1
        tag = html[item:item_end]
        visible = count < limit and shown(tag, today)
        count += visible
        body += [html[at:item], _hidden(tag, not visible)]
        at = item_end
    pieces += [_hidden(list_tag, count == 0), *body]
    empty = html.index('<p class="glance-empty"', end)
    empty_end = html.index(">", empty) + 1
    pieces += [html[at:empty], _hidden(html[empty:empty_end], count > 0)]
    return "".join(pieces) + html[empty_end:]


def _news(html: str, today: dt.date) -> str:
    """Announcements: the "new" badge everywhere; on the overview, the first few not expired."""
    section = html.find('<section class="latest-news"')
    limit = None
    if section >= 0:
        opening = html.index('<ol class="news" data-limit="', section)
        limit = int(_value(html[opening:html.index(">", opening) + 1], "data-limit") or 0)
    pieces: list[str] = []
    at, count = 0, 0
    while True:
        item = html.find('\n  <li class="news-item kind-', at)
        if item < 0:
            break
        item += 1
        item_end = html.index(">", item) + 1
        tag = html[item:item_end]
        if limit is not None:
            expires = _value(tag, "data-expires")
            visible = count < limit and (expires is None or dt.date.fromisoformat(expires) >= today)
            count += visible
            tag = _hidden(tag, not visible)
        badge = html.index('<span class="new-badge"', item_end)
        badge_end = html.index(">", badge) + 1
        fresh = 0 <= (today - _date(tag, "data-date")).days < NEW_DAYS
        pieces += [html[at:item], tag, html[item_end:badge], _hidden(html[badge:badge_end], not fresh)]
        at = badge_end
    pieces.append(html[at:])
    html = "".join(pieces)
    if section >= 0:
        section_end = html.index(">", section) + 1
        html = html[:section] + _hidden(html[section:section_end], count == 0) + html[section_end:]
    return html


def _deliverables(html: str, today: dt.date) -> str:
    """Deliverables due before today: the row's class and its "past" badge."""
    table = html.find('<table class="deliverables">')
    if table < 0:
        return html
    end = html.index("\n  </tbody>\n</table>", table)
    pieces: list[str] = [html[:table]]
    at = table
    while True:
        row = html.find("\n    <tr", at, end)
        if row < 0:
            break
        row += 1
        row_end = html.index(">", row) + 1
        tag = html[row:row_end]
        due = _value(tag, "data-date")
        if due is None:
            continue_at = row_end
            pieces.append(html[at:continue_at])
            at = continue_at
            continue
        past = dt.date.fromisoformat(due) < today
        tag = tag.removesuffix(' class="is-past">').removesuffix(">") + (' class="is-past">' if past else ">")
        badge = html.index('<span class="past-badge"', row_end)
        badge_end = html.index(">", badge) + 1
        pieces += [html[at:row], tag, html[row_end:badge], _hidden(html[badge:badge_end], not past)]
        at = badge_end
    pieces.append(html[at:])
    return "".join(pieces)


def _hidden(tag: str, hidden: bool) -> str:
    """A start tag the templates end with ` hidden` when hidden, with that set."""
    bare = tag.removesuffix(" hidden>").removesuffix(">")
    return bare + (" hidden>" if hidden else ">")


def _value(tag: str, name: str) -> str | None:
    start = tag.find(f' {name}="')
    if start < 0:
        return None
    start += len(name) + 3
    return tag[start:tag.index('"', start)]


def _date(tag: str, name: str) -> dt.date:
    value = _value(tag, name)
    if value is None:
        raise ValueError(f"no {name} in {tag}")
    return dt.date.fromisoformat(value)
