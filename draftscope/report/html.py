"""Report pages as HTML text: pure functions from :mod:`draftscope.report.model` to one
self-contained page (inline CSS, inline SVG, no script, nothing fetched when viewed).

Every text that comes from a document or the datatracker (names, titles, field names, words)
goes through :func:`esc`; figures arrive as ``<svg>`` markup made by
:func:`draftscope.report.svg.inline_svg`, which escapes their alt text. The page is one column
at most 740 px wide (a blog's), down to a phone's 390 px: figures scale to the column, wide
tables scroll inside their own box, long names break anywhere rather than widen the page.
"""

from __future__ import annotations

import html
from string import Template
from typing import Iterable, Sequence

from draftscope.report.model import (GroupIndex, LineageDocument, LineagePage, Provenance,
                                     StorySection, Table)

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 16px 48px; font: 16px/1.5 system-ui, -apple-system, "Segoe UI",
  Roboto, "DejaVu Sans", sans-serif; color: #1f2933; background: #fff; }
main { max-width: 740px; margin: 0 auto; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 1em 0 .2em; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 2em 0 .4em; border-bottom: 1px solid #e4e7eb; }
h3 { font-size: 1.05em; margin: 1.6em 0 .3em; overflow-wrap: anywhere; }
p, li, dd, dt { overflow-wrap: anywhere; }
.subtitle { color: #52606d; margin: 0 0 1em; }
nav.toc ol { padding-left: 1.6em; margin: .3em 0; }
nav.toc.many ol { columns: 15em auto; column-gap: 2em; font-size: .9em; }
figure { margin: 1em 0; }
svg.figure { display: block; width: 100%; height: auto; }
figcaption { font-size: .9em; color: #52606d; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: .9em; margin: .5em 0; }
caption { text-align: left; font-size: .9em; color: #52606d; padding-bottom: .3em; }
th, td { padding: .2em .6em; border-bottom: 1px solid #e4e7eb; text-align: right;
  white-space: nowrap; }
tbody th, thead th { white-space: normal; }
tbody th { min-width: 8em; }
th:first-child, td:first-child { text-align: left; }
ul.revisions { list-style: none; padding: 0; margin: .2em 0 1em; display: flex;
  flex-wrap: wrap; gap: .25em .6em; }
ul.revisions li { white-space: nowrap; }
ol.steps { padding-left: 1.4em; font-size: .95em; }
ol.steps > li > strong { font-weight: 600; }
ol.steps ul { padding-left: 1.1em; margin: .1em 0 .5em; }
section.story { content-visibility: auto; contain-intrinsic-size: auto 900px; }
.note { color: #52606d; font-size: .9em; }
dl.made { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; font-size: .9em; }
dl.made dt { color: #52606d; }
dl.made dd { margin: 0; }
a { color: #0b5cad; }
@media (max-width: 480px) { body { font-size: 15px; padding: 0 10px 32px; } h1 { font-size: 1.35em; } }
""".strip()

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="draftscope $version">
<title>$title</title>
<style>
$css
</style>
</head>
<body>
<main>
$body
</main>
</body>
</html>
""")

KIND_WORDS = {"individual": "individual draft", "wg": "working-group draft", "rfc": "RFC"}


def esc(text: object) -> str:
    """``text`` safe in HTML content and in double-quoted attributes."""
    return html.escape("" if text is None else str(text), quote=True)


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else ""


def page(title: str, body: str, version: str) -> str:
    """A whole HTML document around ``body`` (already HTML)."""
    return PAGE.substitute(title=esc(title), css=CSS, body=body, version=esc(version))


def slug(text: str) -> str:
    """An id fragment for ``text`` (``ACK Frame`` -> ``ack-frame``)."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# --------------------------------------------------------------------------- parts

def table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    rows = "\n".join("<tr>" + "".join(
        (f'<th scope="row">{esc(cell)}</th>' if i == 0 else f"<td>{esc(cell)}</td>")
        for i, cell in enumerate(row)) + "</tr>" for row in table.rows)
    return (f'<div class="scroll"><table><caption>{esc(table.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>")


def lineage_html(documents: Sequence[LineageDocument]) -> str:
    """Each name of the lineage with its dates and a link per revision to its text."""
    out = []
    for doc in documents:
        dated = [r.date for r in doc.revisions if r.date is not None]
        span = (f"{_date(dated[0])}" + (f" to {_date(dated[-1])}" if len(dated) > 1 else "")
                if dated else "dates unknown")
        count = len(doc.revisions)
        what = KIND_WORDS.get(doc.kind, doc.kind)
        revisions = "" if doc.kind == "rfc" else f", {count} revision{'s' if count != 1 else ''}"
        out.append(f'<h3 id="doc-{esc(doc.name)}">{esc(doc.name)}</h3>'
                   f'<p class="note">{esc(what)}{revisions}, {esc(span)}</p>')
        links = "".join(
            f'<li><a class="revision" href="{esc(r.url)}" title="{esc(r.label)}'
            f'{" (" + _date(r.date) + ")" if r.date else ""}">'
            f'{esc(r.rev if doc.kind != "rfc" else r.label)}</a></li>'
            for r in doc.revisions)
        out.append(f'<ul class="revisions" aria-label="revisions of {esc(doc.name)}">{links}</ul>')
    return "\n".join(out)


def story_html(story: StorySection, index: int) -> str:
    anchor = f"story-{index + 1}-{slug(story.key)}"
    parts = [f'<section class="story" id="{esc(anchor)}">',
             f"<h3>{esc(story.key)}</h3>"]
    if story.svg:
        parts.append(f"<figure>{story.svg}</figure>")
    steps = []
    for step in story.steps:
        head = f"{step.label}" + (f" ({step.date})" if step.date else "") + f": {step.change}"
        words = "".join(f"<li>{esc(w)}</li>" for w in step.words)
        steps.append(f"<li><strong>{esc(head)}</strong>" + (f"<ul>{words}</ul>" if words else "")
                     + "</li>")
    parts.append(f'<ol class="steps">{"".join(steps)}</ol>')
    parts.append("</section>")
    return "\n".join(parts)


def provenance_html(made: Provenance) -> str:
    rows = [("draftscope", made.version),
            ("generated", made.generated.strftime("%Y-%m-%d %H:%M:%S UTC")),
            ("cache", made.cache_dir),
            ("datatracker", made.datatracker_url)]
    if made.metadata_fetched is not None:
        rows.append(("metadata fetched", made.metadata_fetched.strftime("%Y-%m-%d %H:%M:%S UTC")))
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in made.notes)
    return f'<h2 id="made">How this page was made</h2><dl class="made">{items}</dl>{notes}'


def _toc(entries: Iterable[tuple[str, str]], label: str = "contents") -> str:
    entries = list(entries)
    items = "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in entries)
    kind = "toc many" if len(entries) > 8 else "toc"
    return f'<nav class="{kind}" aria-label="{esc(label)}"><ol>{items}</ol></nav>'


# --------------------------------------------------------------------------- pages

def lineage_page(report: LineagePage) -> str:
    """The HTML page of one lineage."""
    documents = report.documents
    names = " \u2192 ".join(d.name for d in documents)
    body = []
    if report.index_href:
        body.append(f'<p class="note"><a href="{esc(report.index_href)}">\u2190 all drafts of '
                    f"the group</a></p>")
    body.append(f"<h1>{esc(report.lineage)}</h1>")
    if report.title:
        body.append(f'<p class="subtitle">{esc(report.title)}</p>')
    body.append(f'<p class="note">{esc(names)}</p>')
    sections = report.changes_svg is not None or report.changes_table is not None
    body.append(_toc([("keywords", "BCP 14 keywords"),
                      *([("sections", "Section changes")] if sections else []),
                      ("definitions", "Definitions over time"),
                      ("stories", f"Definitions\u2019 stories ({len(report.stories)})"),
                      ("lineage", "Lineage and revisions"),
                      ("made", "How this page was made")]))
    body.append('<h2 id="keywords">BCP 14 keywords</h2>')
    if report.keyword_svg:
        body.append(f"<figure>{report.keyword_svg}</figure>")
    if report.keyword_table is not None:
        body.append(table_html(report.keyword_table))
    if sections:
        body.append('<h2 id="sections">Section changes</h2>')
        if report.changes_svg:
            body.append(f"<figure>{report.changes_svg}</figure>")
        if report.changes_table is not None:
            body.append(table_html(report.changes_table))
    body.append('<h2 id="definitions">Definitions over time</h2>')
    if report.definitions_svg:
        body.append(f"<figure>{report.definitions_svg}</figure>")
    if report.definitions_note:
        body.append(f'<p class="note">{esc(report.definitions_note)}</p>')
    body.append('<h2 id="stories">Definitions\u2019 stories</h2>')
    if report.stories_note:
        body.append(f'<p class="note">{esc(report.stories_note)}</p>')
    if report.stories:
        body.append(_toc(((f"story-{i + 1}-{slug(s.key)}", s.key)
                          for i, s in enumerate(report.stories)), "stories"))
    body += [story_html(story, i) for i, story in enumerate(report.stories)]
    body.append('<h2 id="lineage">Lineage and revisions</h2>')
    body.append(lineage_html(documents))
    body.append(provenance_html(report.provenance))
    return page(f"{report.lineage}: draftscope report", "\n".join(body),
                report.provenance.version)


def group_page(index: GroupIndex) -> str:
    """The index page of a working group: its timeline figure and a row per lineage."""
    body = [f"<h1>The {esc(index.acronym)} working group\u2019s documents</h1>"]
    if index.figure_svg:
        body.append(f"<figure>{index.figure_svg}</figure>")
    head = "".join(f'<th scope="col">{c}</th>' for c in
                   ("lineage", "first revision", "last", "revisions", "RFC", "status"))
    rows = "\n".join(
        "<tr><th scope=\"row\">" + (f'<a href="{esc(e.href)}">{esc(e.lineage)}</a>' if e.href
                                    else f"{esc(e.lineage)} (no page)") + "</th>"
        f"<td>{_date(e.first)}</td><td>{_date(e.last)}</td><td>{e.revisions}</td>"
        f"<td>{esc(e.rfc.upper().replace('RFC', 'RFC ') if e.rfc else '')}</td>"
        f"<td>{esc(e.status)}</td></tr>" for e in index.entries)
    body.append(f'<div class="scroll"><table><caption>{len(index.entries)} lineages, one page '
                f"each</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")
    for failure in index.failures:
        body.append(f'<p class="note">{esc(failure)}</p>')
    body.append(provenance_html(index.provenance))
    return page(f"{index.acronym}: draftscope report", "\n".join(body), index.provenance.version)
