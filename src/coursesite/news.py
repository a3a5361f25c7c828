"""A course's news: its announcements and its schedule changes, as shown at the build's moment.

What is dated after that moment is held back: no page, feed or search index has it. The
course's output therefore depends on which items are shown and on the commits its change log
reads; `news_state` says both, for the caches that decide whether a course is built again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from coursesite import atom, urls
from coursesite.announcements import NewsItem, announcement_items, next_release, published
from coursesite.build_clock import build_moment
from coursesite.change_log import ChangeLog
from coursesite.git_history import Commit
from coursesite.markdown_links import CourseLinks
from coursesite.markup import render_markdown
from coursesite.site import Course, CourseSummary, Site
from coursesite.translations import _

if TYPE_CHECKING:
    from coursesite.render import Renderer


@dataclass(frozen=True)
class News:
    """The published items of one course, newest first, and when the next held-back one appears."""

    items: list[NewsItem]
    refresh_at: dt.datetime | None  # the output is stale from this moment on


def course_news(course: Course, *, today: dt.date, now: dt.datetime | None, change_log: ChangeLog | None,
                commits: list[Commit] | None = None) -> News:
    """The announcements and schedule changes of `course` published at the build's moment."""
    timezone = course.info.term.timezone
    moment = build_moment(now, today, timezone)
    everything = announcement_items(course.announcements.announcements, timezone)
    if change_log is not None:
        everything += change_log.items(course.folder, timezone, commits)
    return News(published(everything, moment), next_release(everything, moment))


def news_state(course: Course, *, today: dt.date, now: dt.datetime | None,
               change_log: ChangeLog | None) -> tuple[object, ...]:
    """What the course's news depends on besides its files: the shown items and the commits."""
    timezone = course.info.term.timezone
    moment = build_moment(now, today, timezone)
    shown = tuple(item.posted <= moment for item in announcement_items(course.announcements.announcements, timezone))
    commits = tuple(c.id for c in change_log.commits(course.folder)) if change_log else ()
    return shown, commits


def every_item(course: Course, change_log: ChangeLog | None) -> list[NewsItem]:
    """The course's announcements and schedule changes, held back or not (day_bounds.py reads their dates)."""
    timezone = course.info.term.timezone
    everything = announcement_items(course.announcements.announcements, timezone)
    if change_log is not None:
        everything += change_log.items(course.folder, timezone)
    return everything


def course_atom(course: Course, news: News, *, base_url: str | None) -> bytes:
    """The course's Atom feed."""
    from coursesite.offerings import term_start

    info = course.info
    names = [person.name for person in info.people if "instructor" in (person.role or "").lower()]
    title = f"{info.code}: {info.title}" if info.code else info.title
    links = CourseLinks(course)
    page = urls.course_page(course.slug, "announcements")
    on_page = links.rewriter(links.root, page)

    def rewrite(url: str) -> str | None:
        """A link as the announcements page has it, made relative to the site's root (the feeds'
        xml:base) instead."""
        found = on_page(url)
        if found is None or urlsplit(found).scheme or found.startswith(("/", "//")):
            return found
        return page + found if found.startswith("#") else f"{course.slug}/{found}"

    def body_html(text: str) -> str:
        return str(render_markdown(text, rewrite_link=rewrite))

    heading = _("%(course)s (%(term)s): announcements") % {"course": title, "term": info.term.name}
    return atom.course_feed(body_html=body_html, slug=course.slug, title=heading,
                            author=", ".join(names) or info.institution or title, items=news.items,
                            base_url=base_url, page=urls.course_page(course.slug, "announcements"),
                            first_day=term_start(info.term))


def change_log_for(site: Site, cache_dir: Path | None) -> ChangeLog:
    """The site's schedule change log, read from git as far back as site.yaml says."""
    return ChangeLog(site.folder, site.config.change_log.commits, cache_dir)


def site_feed(renderer: Renderer, courses: Iterable[tuple[CourseSummary, bytes]]) -> bytes:
    """The site's Atom feed, from the course feeds."""
    return atom.site_feed(title=renderer.site.config.title, base_url=renderer.base_url, build_day=renderer.today,
                          courses=[(summary.slug, summary.info.code or summary.info.title, data)
                                   for summary, data in courses])


def site_feed_from(renderer: Renderer, staging: Path, summaries: Iterable[CourseSummary]) -> bytes:
    """The site's Atom feed, from the course feeds written into `staging` (built or restored)."""
    found = []
    for summary in summaries:
        with suppress(OSError):
            found.append((summary, (staging / urls.course_feed(summary.slug)).read_bytes()))
    return site_feed(renderer, found)
