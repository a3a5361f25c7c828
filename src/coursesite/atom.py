"""Atom feeds (RFC 4287) of announcements and schedule changes: one per course, one for the site.

Written with the standard library's ElementTree, which escapes every text and attribute; the
characters XML 1.0 cannot carry at all (control characters, U+FFFE) are dropped first.

- Entry ids are `urn:uuid:` names made from the site's base URL (when given), the course and the
  item's stable key, so they stay the same from build to build.
- With `--base-url`, links are absolute. Without it, links are relative to the site's root,
  which each feed names with `xml:base` relative to the feed: still valid Atom, which a feed
  reader resolves against the address it fetched the feed from. Links in an entry's content
  are relative to the site's root either way.
- The site feed holds the entries of every course feed, newest first, titled with the course.
- The same input gives the same bytes: `updated` is the newest entry's date (or the build day's
  start for a feed without entries), never the time of the build.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress

from coursesite import urls
from coursesite.announcements import NewsItem

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("", ATOM)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), {key: _clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _stamp(moment: dt.datetime) -> str:
    """RFC 3339, as Atom's dates are written: 2026-10-13T09:00:00-04:00."""
    return moment.isoformat(timespec="seconds")


def entry_id(base_url: str | None, slug: str, key: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url or ''}/{slug}/{key}"))


def course_feed(*, slug: str, title: str, author: str, items: Sequence[NewsItem], base_url: str | None,
                page: str, first_day: dt.date, body_html: Callable[[str], str]) -> bytes:
    """The Atom feed of one course at `urls.course_feed(slug)`; `page` is the announcements page.
    `body_html` renders a body's Markdown with links relative to the site's root. Without items
    the feed is dated `first_day` (the term's start): never the build's day, so that a feed
    stays the same from day to day."""
    path = urls.course_feed(slug)
    feed = _feed(path, base_url)
    _add(feed, "id", entry_id(base_url, slug, "feed"))
    _add(feed, "title", title)
    _add(feed, "updated", _stamp(_updated(items, first_day)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=_href(base_url, path))
    _add(feed, "link", rel="alternate", type="text/html", href=_href(base_url, page))
    _add(_add(feed, "author"), "name", author)
    for item in items:
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(base_url, slug, item.key))
        _add(entry, "title", item.title)
        _add(entry, "published", _stamp(item.posted))
        _add(entry, "updated", _stamp(item.posted))
        _add(entry, "link", rel="alternate", type="text/html", href=_href(base_url, f"{page}#{item.anchor}"))
        _add(entry, "category", term=item.kind)
        if item.body:
            _add(entry, "content", body_html(item.body), type="html")
    return _bytes(feed)


def site_feed(*, title: str, courses: Iterable[tuple[str, str, bytes]], base_url: str | None,
              build_day: dt.date) -> bytes:
    """The site's feed at `urls.SITE_FEED`: every entry of the course feeds given as
    (slug, name shown before titles, feed bytes), newest first."""
    entries: list[tuple[dt.datetime, str, ET.Element]] = []
    dated: list[dt.datetime] = []  # the course feeds' own dates, for a site without entries
    for _slug, name, data in courses:
        with suppress(ET.ParseError):  # a course feed is ours; one that cannot be read is left out
            # Our own course feeds (written by `course_feed`, or kept by the build cache), and expat
            # refuses entity expansion bombs.
            root = ET.fromstring(data)  # noqa: S314
            with suppress(ValueError, TypeError):
                dated.append(dt.datetime.fromisoformat(root.findtext(_tag("updated")) or ""))
            for entry in root.iter(_tag("entry")):
                heading = entry.find(_tag("title"))
                updated = entry.find(_tag("updated"))
                if heading is None or updated is None or not updated.text:
                    continue
                heading.text = f"{name}: {heading.text or ''}"
                with suppress(ValueError):
                    entries.append((dt.datetime.fromisoformat(updated.text), entry.findtext(_tag("id")) or "", entry))
    entries.sort(key=lambda found: (-found[0].timestamp(), found[1]))
    feed = _feed(urls.SITE_FEED, base_url)
    _add(feed, "id", entry_id(base_url, "", "feed"))
    _add(feed, "title", title)
    newest = entries[0][0] if entries else max(dated, default=dt.datetime.combine(build_day, dt.time(), tzinfo=dt.UTC))
    _add(feed, "updated", _stamp(newest))
    _add(feed, "link", rel="self", type="application/atom+xml", href=_href(base_url, urls.SITE_FEED))
    _add(feed, "link", rel="alternate", type="text/html", href=_href(base_url, urls.CATALOG))
    _add(_add(feed, "author"), "name", title)
    for _, _, entry in entries:
        feed.append(entry)
    return _bytes(feed)


def _feed(path: str, base_url: str | None) -> ET.Element:
    """The root element. Its `xml:base` is the site's root, which links in entries' content are
    relative to: the base URL, or without one the root relative to the feed's own address."""
    feed = ET.Element(_tag("feed"))
    root = urls.absolute(base_url, "")
    feed.set(XML_BASE, root or urls.relative(path, urls.CATALOG).removesuffix(urls.CATALOG) or "./")
    return feed


def _href(base_url: str | None, path: str) -> str:
    return urls.absolute(base_url, path) or path


def _updated(items: Sequence[NewsItem], first_day: dt.date) -> dt.datetime:
    if items:
        return max(item.posted for item in items)
    return dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)


def _bytes(feed: ET.Element) -> bytes:
    ET.indent(feed)
    # Registered again for every feed: ElementTree's registry is the process's, and WeasyPrint
    # (syllabus.pdf) takes the "" prefix there when it is imported; a feed written after it in the
    # same process would read <ns0:feed>.
    ET.register_namespace("", ATOM)
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written + b"\n"
