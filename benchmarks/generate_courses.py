"""Write N synthetic but realistic courses in coursesite's format, deterministically from a seed.

Each course has what a real one has: a staff of six with office hours, two meeting patterns
(lectures and a weekly section), holidays, 30 schedule rows with materials, readings and due
items, eight homeworks and a project, 25 readings, 15 links, a grading scheme, and three
Markdown pages of about 600 words. Course `i` depends only on the seed and `i`, so the first
100 courses of a 1,000-course site are the 100-course site. A hundred courses share a term;
larger sites go back one term per hundred, as a department that keeps every past term does.

    python benchmarks/generate_courses.py OUT_DIR --courses 100 [--seed 2026]

The generated site passes `coursesite check --strict` (tests/test_benchmarks.py checks it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SEED = 2026
COURSES_PER_TERM = 100
POLICY_WORDS = 600

SUBJECTS = ["CS", "STAT", "MATH", "EE", "DS", "PHYS", "ECON", "BIO"]
DEPARTMENTS = {"CS": "Computer Science", "STAT": "Statistics", "MATH": "Mathematics",
               "EE": "Electrical Engineering", "DS": "Data Science", "PHYS": "Physics",
               "ECON": "Economics", "BIO": "Biology"}
FIELDS = ["Machine Learning", "Deep Learning", "Algorithms", "Operating Systems", "Probability",
          "Linear Algebra", "Statistical Inference", "Computer Vision", "Natural Language Processing",
          "Databases", "Distributed Systems", "Optimization", "Signal Processing",
          "Reinforcement Learning", "Computer Networks", "Compilers", "Causal Inference",
          "Bayesian Data Analysis", "Information Theory", "Robotics", "Numerical Methods",
          "Computational Biology", "Econometrics", "Quantum Computing", "Graph Theory"]
PREFIXES = ["Introduction to", "Advanced", "Topics in", "Foundations of", "Applied",
            "Principles of", "Seminar in", ""]
TOPICS = ["linear models", "gradient descent", "backpropagation", "convex sets", "duality",
          "hash tables", "dynamic programming", "graph search", "shortest paths", "sampling",
          "Markov chains", "hypothesis testing", "confidence intervals", "regularization",
          "kernel methods", "decision trees", "ensembles", "convolutional networks",
          "recurrent networks", "attention", "transformers", "autoencoders", "diffusion models",
          "variational inference", "expectation maximization", "spectral methods",
          "concurrency", "scheduling", "virtual memory", "file systems", "consensus",
          "replication", "query planning", "transactions", "indexing", "parsing",
          "type systems", "register allocation", "Fourier analysis", "filter design",
          "policy gradients", "value iteration", "bandits", "causal graphs", "instrumental variables",
          "mixed models", "bootstrap", "entropy", "channel capacity", "error-correcting codes",
          "robust estimation", "matrix factorization", "random graphs", "embeddings",
          "contrastive learning", "fairness", "privacy", "interpretability", "scaling laws"]
_WORD_TEXT = ("the a of to and in we will this course each student work on for with is are be "
         "by as an at from that which you your their our problem set lecture section week "
         "notes model data method result proof algorithm analysis question answer example "
         "idea approach theory practice project paper review reading discussion feedback "
         "grade deadline submission extension office hours staff team group partner code "
         "report experiment evaluation baseline training test error bound estimate function "
         "variable system network structure process design implementation performance "
         "should must may can often usually carefully clearly early late fully each other "
         "important useful simple general specific careful complete original independent "
         "written short long final first second next previous weekly several every most")
WORDS = _WORD_TEXT.split()
VERBS = ["explain", "submit", "discuss", "review", "present", "implement", "prove", "derive",
         "compare", "measure", "write", "read", "test", "describe", "cite", "revise"]
FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Katherine", "John", "Frances",
         "Claude", "Radia", "Leslie", "Margaret", "Tim", "Shafi", "Judea", "Yann", "Fei-Fei",
         "Daphne", "Michael", "Cynthia", "Andrew", "Leila", "Sanjeev", "Ravi", "Maryam", "Yoshua",
         "Jennifer", "Anima", "Noam", "Priya", "Omar", "Lucia", "Chen", "Amara", "Tomas"]
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Johnson", "McCarthy",
        "Allen", "Shannon", "Perlman", "Lamport", "Hamilton", "Berners-Lee", "Goldwasser", "Pearl",
        "LeCun", "Li", "Koller", "Jordan", "Dwork", "Ng", "Valiant", "Arora", "Kannan",
        "Mirzakhani", "Bengio", "Widom", "Anandkumar", "Chomsky", "Raman", "Haddad", "Ferreira",
        "Wang", "Okafor", "Novak"]
BUILDINGS = ["Science Center", "Maxwell Hall", "Engineering Quad", "Gates Building", "Evans Hall",
             "Soda Hall", "Mudd Building", "Pupin Hall"]
DAY_PAIRS = [["Mon", "Wed"], ["Tue", "Thu"]]
LECTURE_TIMES = [("09:00", "10:15"), ("10:30", "11:45"), ("13:30", "14:45"), ("15:00", "16:15")]
SECTION_DAYS = ["Fri", "Wed", "Thu"]
HOUR_SLOTS = [("10:00", "11:00"), ("11:00", "12:00"), ("14:00", "15:00"), ("16:00", "17:30")]


def generate_site(folder: Path, courses: int, seed: int = DEFAULT_SEED, first: int = 0) -> list[str]:
    """Write `folder/site.yaml` and `folder/courses/<slug>/...` for courses number `first` to
    `first + courses - 1`; return their slugs."""
    catalog = _catalog(seed)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "site.yaml", _dump({
        "title": "Department course catalog",
        "description": f"Every course of the department, {max(1, -(-courses // COURSES_PER_TERM))} "
                       "terms of them (synthetic benchmark content).",
    }))
    slugs = []
    for index in range(first, first + courses):
        course = make_course(seed, index, catalog)
        write_course(folder / "courses" / course.slug, course)
        slugs.append(course.slug)
    return slugs


class GeneratedCourse:
    """One course's files as plain data: the YAML documents and the Markdown pages."""

    def __init__(self, slug: str, course: dict[str, Any], schedule: dict[str, Any],
                 readings: dict[str, Any], links: dict[str, Any], pages: dict[str, str]) -> None:
        self.slug = slug
        self.course = course
        self.schedule = schedule
        self.readings = readings
        self.links = links
        self.pages = pages


def write_course(folder: Path, course: GeneratedCourse) -> None:
    for name, data in (("course", course.course), ("schedule", course.schedule),
                       ("readings", course.readings), ("links", course.links)):
        _write(folder / f"{name}.yaml", _dump(data))
    for name, text in course.pages.items():
        _write(folder / "pages" / f"{name}.md", text)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# ---- YAML as an instructor writes it: block style, prose as literal blocks -------------------


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True  # instructors repeat a list rather than write anchors


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


# ---- one course ------------------------------------------------------------------------------


def _catalog(seed: int) -> list[tuple[str, int, str]]:
    """The department's course codes and titles; every term offers the same courses."""
    rng = random.Random(f"{seed}:catalog")
    codes = rng.sample([(s, n) for s in SUBJECTS for n in range(100, 700)], COURSES_PER_TERM)
    titles = []
    for subject, number in codes:
        prefix = rng.choice(PREFIXES)
        titles.append((subject, number, f"{prefix} {rng.choice(FIELDS)}".strip()))
    return titles


def term_of(seed: int, index: int) -> tuple[str, dt.date, dt.date, list[dict[str, Any]]]:
    """Term name, first and last day, and holidays: the newest term first, one term per hundred."""
    back = index // COURSES_PER_TERM
    year = 2026 - (back + 1) // 2
    if back % 2 == 0:  # fall
        start = _weekday_on_or_after(dt.date(year, 9, 1), 1)
        end = start + dt.timedelta(weeks=15, days=3)
        thanksgiving = _weekday_on_or_after(dt.date(year, 11, 22), 3)
        holidays = [
            {"date": _weekday_on_or_after(dt.date(year, 10, 8), 0), "label": "Indigenous Peoples' Day: no class"},
            {"date": thanksgiving - dt.timedelta(days=1), "end": thanksgiving + dt.timedelta(days=1),
             "label": "Thanksgiving break"},
        ]
        return f"Fall {year}", start, end, holidays
    start = _weekday_on_or_after(dt.date(year + 1, 1, 20), 1)
    end = start + dt.timedelta(weeks=15, days=3)
    spring_break = _weekday_on_or_after(start + dt.timedelta(weeks=7), 0)
    holidays = [
        {"date": _weekday_on_or_after(dt.date(year + 1, 2, 15), 0), "label": "Presidents' Day: no class"},
        {"date": spring_break, "end": spring_break + dt.timedelta(days=4), "label": "Spring break"},
    ]
    return f"Spring {year + 1}", start, end, holidays


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def make_course(seed: int, index: int, catalog: list[tuple[str, int, str]]) -> GeneratedCourse:
    """Course number `index` of the site: the same data for the same seed and index, always."""
    rng = random.Random(f"{seed}:course:{index}")
    subject, number, title = catalog[index % len(catalog)]
    term, start, end, holidays = term_of(seed, index)
    slug = f"{subject.lower()}{number}-{term.lower().replace(' ', '-')}"
    prose = _Prose(rng)
    topics = rng.sample(TOPICS, 24)
    people = _people(rng, prose)
    lecture_days = rng.choice(DAY_PAIRS)
    lecture_time = rng.choice(LECTURE_TIMES)
    section_day = rng.choice([d for d in SECTION_DAYS if d not in lecture_days])
    building = rng.choice(BUILDINGS)
    course: dict[str, Any] = {
        "code": f"{subject} {number}",
        "title": title,
        "term": {"name": term, "start": start, "end": end, "timezone": "America/New_York"},
        "institution": "Example University",
        "department": DEPARTMENTS[subject],
        "url": f"https://example.edu/{subject.lower()}{number}/",
        "summary": prose.sentence(14, markup=True),
        "description": prose.paragraphs(3, 70, markup=True),
        "prerequisites": prose.sentence(20, markup=True),
        "textbook": f"{prose.cite_link()} (free online); {prose.sentence(12)}",
        "topics": [topic.capitalize() for topic in topics[:8]],
        "people": people,
        "meetings": [
            {"name": "Lecture", "days": lecture_days, "start": lecture_time[0], "end": lecture_time[1],
             "location": f"{building} {rng.randint(100, 499)}"},
            {"name": "Section", "days": [section_day], "start": "16:00", "end": "16:50",
             "location": f"{rng.choice(BUILDINGS)} B{rng.randint(10, 99)}",
             "note": "Optional, but strongly recommended."},
        ],
        "holidays": holidays,
        "grading": {
            "components": [
                {"name": "Homework", "weight": 40, "points": 10, "count": 8, "drop_lowest": 1},
                {"name": "Midterm", "weight": 20},
                {"name": "Final exam", "weight": 25},
                {"name": "Project", "weight": 15, "note": "Proposal, milestone and final report."},
            ],
            "scale": [{"letter": letter, "min": low, "max": high} for letter, low, high in (
                ("A", 93, 100), ("A-", 90, 92.99), ("B+", 87, 89.99), ("B", 83, 86.99),
                ("B-", 80, 82.99), ("C+", 77, 79.99), ("C", 70, 76.99), ("F", 0, 69.99))],
            "notes": prose.paragraphs(1, 40, markup=True),
        },
        "about": [{"title": "Getting help", "body": prose.paragraphs(2, 45, markup=True)}],
    }
    readings = _readings(rng, prose, topics)
    reading_ids = [item["id"] for group in readings["groups"] for item in group["items"] if "id" in item]
    schedule = _schedule(rng, prose, topics, start, end, reading_ids)
    links = _links(rng, prose)
    pages = {
        "policies": _page(prose, "Course policies", 1, "Policies", [
            "Late work", "Regrade requests", "Attendance", "Accommodations", "Communication"]),
        "integrity": _page(prose, "Academic integrity", 2, "Integrity", [
            "Collaboration", "Use of AI tools", "Citing sources", "Consequences"]),
        "project": _page(prose, "Final project", 3, None, [
            "Teams", "Proposal", "Milestone", "Final report", "Presentation"], table=True),
    }
    return GeneratedCourse(slug, course, schedule, readings, links, pages)


def _people(rng: random.Random, prose: _Prose) -> list[dict[str, Any]]:
    names = rng.sample([(f, last) for f in FIRST for last in LAST], 6)
    roles = ["Instructor", "Head Teaching Assistant"] + ["Teaching Assistant"] * 4
    people = []
    for (first, last), role in zip(names, roles, strict=True):
        person: dict[str, Any] = {"name": f"{first} {last}", "role": role,
                                  "email": f"{first.lower()}.{last.lower()}@example.edu"}
        if role == "Instructor":
            person["url"] = f"https://example.edu/~{last.lower()}"
            person["pronouns"] = rng.choice(["she/her", "he/him", "they/them"])
            person["bio"] = prose.paragraphs(1, 45, markup=True)
        hours = []
        for day in rng.sample(["Mon", "Tue", "Wed", "Thu", "Fri"], rng.choice([1, 2])):
            slot = rng.choice(HOUR_SLOTS)
            hour: dict[str, Any] = {"day": day, "start": slot[0], "end": slot[1],
                                    "location": f"{rng.choice(BUILDINGS)} {rng.randint(100, 499)}"}
            if rng.random() < 0.3:
                hour["note"] = "Also on Zoom; the link is on the course forum."
            hours.append(hour)
        person["office_hours"] = hours
        people.append(person)
    return people


def _schedule(rng: random.Random, prose: _Prose, topics: list[str], start: dt.date, end: dt.date,
              reading_ids: list[str]) -> dict[str, Any]:
    """30 rows: 19 lectures, 3 attached notebooks, 6 sections, a midterm and a pinned final."""
    sessions: list[dict[str, Any]] = []
    homework = 0
    lecture = 0
    section = 0
    for week in range(1, 11):
        for _ in range(2):
            if lecture == 10:
                sessions.append({"topic": "Midterm exam", "kind": "exam",
                                 "notes": "Closed book; one page of notes allowed."})
                lecture += 1
                continue
            if lecture >= 20:
                break
            lecture += 1
            topic = topics[(lecture - 1) % len(topics)]
            row: dict[str, Any] = {"topic": f"{topic.capitalize()}: {rng.choice(topics)}",
                                   "materials": [{"label": "Slides",
                                                  "url": f"https://example.edu/slides/{lecture:02d}.pdf"}]}
            if rng.random() < 0.5:
                row["materials"].append({"label": "Video", "url": f"https://video.example.edu/{rng.randrange(10**6)}"})
            row["readings"] = rng.sample(reading_ids, rng.choice([1, 1, 2]))
            if lecture % 3 == 0 and homework < 8:
                homework += 1
                row["due"] = [{"title": f"Homework {homework}", "assignment": f"hw{homework}"}]
            if rng.random() < 0.35:
                row["notes"] = prose.sentence(18, markup=True)
            sessions.append(row)
            if lecture in (2, 8, 14):
                sessions.append({"topic": f"Notebook: {topic}", "kind": "notebook", "attach": True,
                                 "materials": [{"label": "Notebook",
                                                "url": f"https://example.edu/notebooks/{lecture:02d}.ipynb"}]})
        if week in (1, 2, 3, 5, 7, 9):
            section += 1
            sessions.append({"topic": f"Section {section}: {rng.choice(topics)}", "kind": "section",
                             "meeting": "Section",
                             "materials": [{"label": "Worksheet",
                                            "url": f"https://example.edu/sections/{section}.pdf"}],
                             **({"due": [{"title": f"Project milestone {section // 3}", "points": 5,
                                          "time": "17:00"}]} if section in (3, 6) else {})})
    sessions.append({"topic": "Final exam", "kind": "exam", "date": end - dt.timedelta(days=3),
                     "end": end, "location": "To be announced by the registrar"})
    assignments = []
    for k in range(1, 9):
        released = start + dt.timedelta(days=7 * k - 5)
        assignments.append({
            "id": f"hw{k}", "title": f"Homework {k}",
            "released": f"{released.isoformat()} 17:00",
            "time": "23:59",  # due at the session that collects it (`assignment: hwK` above)
            "points": 10, "url": f"https://example.edu/homework/{k}.pdf",
        })
    assignments.append({"id": "project", "title": "Final project report",
                        "released": f"{start.isoformat()} 09:00",
                        "due": f"{(end - dt.timedelta(days=1)).isoformat()} 23:59", "points": 15,
                        "notes": prose.sentence(20, markup=True)})
    return {"sessions": sessions, "assignments": assignments}


def _readings(rng: random.Random, prose: _Prose, topics: list[str]) -> dict[str, Any]:
    book_authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(2)]
    chapters = [{"id": f"ch{k}", "title": f"Chapter {k}: {topics[k].capitalize()}", "authors": book_authors,
                 "year": "2023", "url": f"https://book.example.edu/chapter-{k}.html",
                 **({"note": prose.sentence(15, markup=True)} if k % 2 else {})} for k in range(1, 9)]
    papers = []
    seen = set()
    for k in range(1, 13):
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 4))]
        year = str(rng.randint(1990, 2025))
        key = f"{authors[0].split()[-1].lower()}{year}"
        ident = key if key not in seen else f"{key}-{k}"
        seen.add(ident)
        paper: dict[str, Any] = {"id": ident, "title": f"On {rng.choice(topics)} and {rng.choice(topics)}",
                                 "authors": authors, "year": year,
                                 "url": f"https://arxiv.org/abs/{rng.randint(1501, 2512)}.{rng.randint(10000, 99999)}"}
        if k in (1, 5):
            paper["emphasis"] = "READ THIS FIRST" if k == 1 else "Optional"
        if rng.random() < 0.5:
            paper["note"] = prose.sentence(20, markup=True)
        papers.append(paper)
    further = [{"title": f"A survey of {rng.choice(topics)}", "url": f"https://example.org/survey/{k}",
                "note": prose.sentence(12)} for k in range(1, 6)]
    return {"groups": [
        {"title": "Textbook chapters", "note": "The textbook is free online.", "items": chapters},
        {"title": "Papers", "items": papers},
        {"title": "Further reading", "ordered": False, "items": further},
    ]}


def _links(rng: random.Random, prose: _Prose) -> dict[str, Any]:
    groups = []
    for title, names in (("Software", ["Python", "NumPy", "PyTorch", "Jupyter", "Git"]),
                         ("Course tools", ["Forum", "Gradescope", "Office hours queue", "Recordings",
                                           "Calendar"]),
                         ("Background", ["Linear algebra review", "Probability review", "Calculus notes",
                                         "Style guide", "LaTeX template"])):
        items = [{"title": name, "url": f"https://example.org/{name.lower().replace(' ', '-')}/",
                  **({"note": prose.sentence(12, markup=True)} if rng.random() < 0.7 else {})}
                 for name in names]
        groups.append({"title": title, "items": items})
    return {"groups": groups}


def _page(prose: _Prose, title: str, order: int, nav_title: str | None, headings: list[str],
          table: bool = False) -> str:
    """A policy page of about POLICY_WORDS words: headings, paragraphs, lists, a quote, a table."""
    front = f"---\ntitle: {title}\norder: {order}\n"
    if nav_title:
        front += f"nav_title: {nav_title}\n"
    body = [prose.paragraphs(1, 50, markup=True)]
    for i, heading in enumerate(headings):
        body += [f"## {heading}", prose.paragraphs(1, 60, markup=True)]
        if i % 3 == 0:
            body.append("\n".join(f"- {prose.sentence(12, markup=True)}" for _ in range(4)))
        elif i % 3 == 1:
            body.append("> " + prose.sentence(20))
        else:
            body.append("\n".join(f"{n}. {prose.sentence(10)}" for n in range(1, 4)))
    if table:
        rows = [f"| {name} | Week {week} | {points} |" for name, week, points in (
            ("Proposal", 5, 2), ("Milestone", 9, 3), ("Report", 15, 8), ("Presentation", 15, 2))]
        body.append("| Part | Due | Points |\n| --- | --- | ---: |\n" + "\n".join(rows))
    while sum(len(part.split()) for part in body) < POLICY_WORDS - 40:
        body.append(prose.paragraphs(1, 40, markup=True))
    return front + "---\n\n" + "\n\n".join(body) + "\n"


class _Prose:
    """Sentences of plausible length with the Markdown instructors use: emphasis, links, code."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, words: int, markup: bool = False) -> str:
        rng = self.rng
        chosen = [rng.choice(WORDS) for _ in range(max(3, words + rng.randint(-3, 3)))]
        chosen[1] = rng.choice(VERBS)
        if markup:
            roll = rng.random()
            at = rng.randrange(2, len(chosen))
            if roll < 0.25:
                chosen[at] = f"**{chosen[at]}**"
            elif roll < 0.4:
                chosen[at] = f"*{chosen[at]}*"
            elif roll < 0.6:
                chosen[at] = f"[{chosen[at]}](https://example.edu/{chosen[at]})"
            elif roll < 0.7:
                chosen[at] = f"`{chosen[at]}()`"
        if rng.random() < 0.3:
            chosen[len(chosen) // 2] += ","
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."

    def paragraphs(self, count: int, words: int, markup: bool = False) -> str:
        result = []
        for _ in range(count):
            sentences, total = [], 0
            while total < words:
                length = self.rng.randint(8, 22)
                sentences.append(self.sentence(length, markup=markup and self.rng.random() < 0.5))
                total += length
            result.append(" ".join(sentences))
        return "\n\n".join(result)

    def cite_link(self) -> str:
        return f"[{self.rng.choice(FIELDS)}](https://book.example.edu/) by {self.rng.choice(LAST)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="site folder to create (must not exist or be empty)")
    parser.add_argument("--courses", type=int, default=100, help="how many courses (default 100)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"generate_courses: {args.out} is not empty; give a new folder", file=sys.stderr)
        return 2
    slugs = generate_site(args.out, args.courses, args.seed)
    print(f"Wrote {len(slugs)} courses into {args.out}/courses/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
