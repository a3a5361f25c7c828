"""The same courses as a Hugo site: every page coursesite builds, exported as Markdown.

Hugo is the yardstick of build_speed.py. Each course becomes a Hugo section with the pages
coursesite makes for it (overview, schedule, readings, links and its Markdown pages), whose
tables and lists carry the same facts, so both generators write the same pages from the same
content. The export reads the courses with coursesite itself (sessions dated by its schedule
rules): Hugo gets the dates ready-made and only converts Markdown and fills templates.

The theme is minimal: a base template with the course's navigation (the pages of its section,
never the whole site), a page template, and a catalog grouped by term.

    python benchmarks/hugo_site.py SITE_DIR HUGO_DIR
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from coursesite.errors import Report
from coursesite.formatting import format_date, format_moment, format_points, format_time, format_weekdays
from coursesite.render import has_assignments
from coursesite.schedule import DatedSchedule, assign_dates
from coursesite.site import Course, load_site
from coursesite.theme import theme_folder

CONFIG = """\
baseURL = "https://example.edu/"
title = "{title}"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
uglyURLs = true
[markup.goldmark.renderer]
unsafe = true
"""

LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<script src="{{ "site.js" | relURL }}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="bar"><a class="site-title" href="{{ "" | relURL }}">{{ site.Title }}</a></div>
  {{- if not .IsHome }}{{ with .CurrentSection }}
  <div class="course-heading">
    <p class="course-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>
    <p class="course-term">{{ .Params.term }}</p>
  </div>
  <nav class="course-nav" aria-label="Course">
    <ul>
      <li><a href="{{ .RelPermalink }}">Overview</a></li>
      {{- range .RegularPages.ByWeight }}
      <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
      {{- end }}
    </ul>
  </nav>
  {{- end }}{{ end }}
</header>
<main id="main" tabindex="-1" data-pagefind-body>
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>Built with Hugo.</p></footer>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ range (.Sections.GroupByParam "term") }}
<section><h2>{{ .Key }}</h2>
<ul class="catalog">
{{- range .Pages.ByTitle }}
  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{- end }}
</ul></section>
{{ end }}{{ end }}
""",
}


def export_site(site_folder: Path, hugo_folder: Path) -> int:
    """Write a Hugo site for the courses of `site_folder`; return the number of content pages."""
    report = Report()
    site = load_site(site_folder, report)
    if site is None or report.errors:
        raise SystemExit("\n".join(d.format() for d in report.sorted()) or "cannot load the site")
    hugo_folder.mkdir(parents=True, exist_ok=True)
    title = site.config.title.replace('"', "'")
    _write(hugo_folder / "hugo.toml", CONFIG.format(title=title))
    for name, text in LAYOUTS.items():
        _write(hugo_folder / "layouts" / name, text)
    for name in ("style.css", "site.js"):
        source = theme_folder() / "static" / name
        if source.is_file():
            (hugo_folder / "static").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, hugo_folder / "static" / name)
    _write(hugo_folder / "content" / "_index.md", _front(site.config.title))
    pages = 1
    for course in site.courses:
        for name, text in course_markdown(course, assign_dates(course.info, course.schedule)).items():
            _write(hugo_folder / "content" / course.slug / name, text)
            pages += 1
    return pages


def course_markdown(course: Course, dated: DatedSchedule) -> dict[str, str]:
    """File name -> Markdown with front matter, for every page coursesite builds for `course`."""
    info = course.info
    heading = f"{info.code}: {info.title}" if info.code else info.title
    files = {"_index.md": _front(heading, term=info.term.name) + _overview(course)}
    files["schedule.md"] = _front("Schedule", weight=1) + _schedule(dated)
    if course.readings.groups:
        files["readings.md"] = _front("Readings", weight=2) + _readings(course)
    if course.links.groups:
        files["links.md"] = _front("Links", weight=3) + _links(course)
    if has_assignments(course):
        files["assignments.md"] = _front("Assignments", weight=4) + _deliverables(dated) + "\n"
    for page in course.pages:
        files[f"{page.name}.md"] = _front(page.meta.title, weight=10 + page.meta.order,
                                          linkTitle=page.meta.nav_title) + page.body
    # coursesite's week page and syllabus, so that Hugo builds as many pages: the meetings, and
    # the overview, schedule and pages once more on one page.
    meetings = "".join(f"- {m.name}: {', '.join(str(d) for d in m.days)}\n" for m in info.meetings)
    files["week.md"] = _front("Week", weight=90) + meetings
    files["syllabus.md"] = _front("Syllabus", weight=91) + _overview(course) + "\n" + _schedule(dated) + \
        "".join(f"\n## {page.meta.title}\n\n{page.body}" for page in course.pages)
    return files


def _overview(course: Course) -> str:
    info = course.info
    out = [" · ".join(p for p in (info.term.name, info.department, info.institution) if p)]
    if info.summary:
        out.append(info.summary)
    out.append("## Meetings and staff")
    out.append("\n".join(
        f"- **{m.name}**: {format_weekdays(m.days)}, {format_time(m.start)}–{format_time(m.end)}, "
        f"{m.location or 'location to be determined'}" + (f" ({m.note})" if m.note else "")
        for m in info.meetings))
    for person in info.people:
        name = f"[{person.name}]({person.url})" if person.url else person.name
        lines = [f"- **{name}**" + (f" ({person.pronouns})" if person.pronouns else "") + f", {person.role}"]
        if person.email:
            lines.append(f"  [{person.email}](mailto:{person.email})")
        for hour in person.office_hours:
            day = format_weekdays([hour.day]) if hour.day is not None else ""
            lines.append(f"  Office hours: {day} {format_time(hour.start)}–{format_time(hour.end)}"
                         + (f", {hour.location}" if hour.location else "") + (f" ({hour.note})" if hour.note else ""))
        if person.bio:
            lines.append("\n  " + person.bio.replace("\n", "\n  "))
        out.append("\n".join(lines))
    for title, text in (("Description", info.description), ("Prerequisites", info.prerequisites),
                        ("Textbook", info.textbook)):
        if text:
            out += [f"## {title}", text]
    if info.topics:
        out += ["## Topics", "\n".join(f"- {topic}" for topic in info.topics)]
    if info.grading:
        rows = ["| Component | Weight | Notes |", "| --- | ---: | --- |"]
        for c in info.grading.components:
            weight = f"{format_points(c.weight)}%" if c.weight is not None else format_points(c.total_points)
            drop = f"Best {c.counted} of {c.count} count. " if c.drop_lowest else ""
            rows.append(f"| {c.name} | {weight} | {drop}{c.note or ''} |")
        out += ["## Grading", "\n".join(rows)]
        if info.grading.scale:
            out.append("\n".join(["| Letter | Range |", "| --- | --- |"] + [
                f"| {b.letter} | {format_points(b.min)}–{format_points(b.max)} |" for b in info.grading.scale]))
        if info.grading.notes:
            out.append(info.grading.notes)
    for section in info.about:
        out += [f"## {section.title}", section.body]
    return "\n\n".join(out) + "\n"


def _schedule(dated: DatedSchedule) -> str:
    rows = ["| Week | Date | Topic | Materials | Due |", "| --- | --- | --- | --- | --- |"]
    for row in dated.rows:
        date = "–" if row.attached else format_date(row.date)
        if row.end and not row.attached:
            date += f"–{format_date(row.end)}"
        if row.start_time:
            date += f" {format_time(row.start_time)}"
        topic, materials, due = row.topic, "", ""
        if row.session is not None:
            session = row.session
            if row.kind not in ("lecture", "holiday"):
                topic += f" *{row.kind}*"
            # The room, where coursesite's schedule shows it (templates/schedule.html).
            if row.location and (session.location or session.time or session.meeting
                                 or (session.kind != "lecture" and not row.attached)):
                topic += f" {row.location}"
            if session.notes:
                topic += " " + session.notes.replace("\n", " ")
            links = [f"[{m.label}]({m.url})" if m.url else m.label for m in session.materials]
            links += [f"[Reading: {r.id}](readings.html#{r.id})" for r in session.readings]
            materials = "<br>".join(links)
            due = "<br>".join(f"{d.title or d.assignment}"
                              + (f" ({format_points(d.points)} points)" if d.points is not None else "")
                              for d in session.due)
        rows.append(f"| {row.week_label or row.week or ''} | {date} | {topic} | {materials} | {due} |")
    out = ["\n".join(rows)]
    if dated.deadlines:
        out += ["## Deliverables", _deliverables(dated)]
    return "\n\n".join(out) + "\n"


def _deliverables(dated: DatedSchedule) -> str:
    table = ["| Deliverable | Released | Due | Points |", "| --- | --- | --- | ---: |"]
    for d in dated.deadlines:
        due = format_moment(d.due) if d.due else (d.due_text or "To be announced")
        table.append(f"| {d.title} | {format_moment(d.released)} | {due} | {format_points(d.points)} |")
    return "\n".join(table)


def _readings(course: Course) -> str:
    out = []
    for group in course.readings.groups:
        out.append(f"## {group.title}")
        if group.note:
            out.append(group.note)
        items = []
        for number, reading in enumerate(group.items, start=1):
            marker = f"{number}." if group.ordered else "-"
            title = f"[{reading.title}]({reading.url})" if reading.url else reading.title
            line = f"{marker} {title}"
            if reading.authors or reading.year:
                line += f" {', '.join(reading.authors)}" + (f" ({reading.year})" if reading.year else "")
            if reading.emphasis:
                line += f" **{reading.emphasis}**"
            if reading.note:
                line += "\n\n   " + reading.note.replace("\n", "\n   ")
            items.append(line)
        out.append("\n".join(items))
    return "\n\n".join(out) + "\n"


def _links(course: Course) -> str:
    out = []
    for group in course.links.groups:
        out.append(f"## {group.title}")
        if group.note:
            out.append(group.note)
        out.append("\n".join(f"- [{item.title}]({item.url})" + (f" {item.note}" if item.note else "")
                             for item in group.items))
    return "\n\n".join(out) + "\n"


def _front(title: str, **params: object) -> str:
    lines = ["---", f"title: {_quoted(title)}"]
    for key, value in params.items():
        if value is not None:
            lines.append(f"{key}: {_quoted(value) if isinstance(value, str) else value}")
    return "\n".join(lines) + "\n---\n\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="coursesite site folder (holding courses/)")
    parser.add_argument("out", type=Path, help="Hugo site folder to write")
    args = parser.parse_args(argv)
    pages = export_site(args.site, args.out)
    print(f"Wrote {pages} Markdown pages into {args.out}/content/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
