"""The report pages opened from disk in a real headless Chromium (tests/browser.py): no console
errors, every figure drawn with a size, no sideways scrolling at a blog's 740 px and a phone's
390 px, a link to every revision's text. Built against the fake datatracker serving the corpus,
with the replaced individual draft of draft-ietf-quic-transport declared (it has no text), and
stories capped (--max-stories) and the group's pages without section changes (--no-changes)
so the module stays quick.

Run alone: ``python3 -m pytest -q tests/report`` (skips, saying why, without chromium,
chromium-driver and selenium; .ci/run installs them).
"""

from __future__ import annotations

import re

import pytest

from browser import WIDTHS, browser_or_skip

from draftscope.cli import main

TRANSPORT = "draft-ietf-quic-transport"
HAMILTON = "draft-hamilton-quic-transport-protocol"
HAMILTON_REVISIONS = {"00": "2016-07-08T00:00:00+00:00", "01": "2016-10-31T00:00:00+00:00"}
STORIES = 3          # stories drawn per page here (the CLI draws all by default)


@pytest.fixture(scope="module")
def site(corpus_dir, tmp_path_factory):
    """report draft-ietf-quic-transport and report --group quic through the CLI, one server."""
    from fakedatatracker import start_server

    server = start_server(corpus_dir, phantom_revisions={HAMILTON: HAMILTON_REVISIONS})
    out = tmp_path_factory.mktemp("site")
    cache = tmp_path_factory.mktemp("cache")
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in {**server.env(), "DRAFTSCOPE_CACHE": str(cache)}.items():
                patch.setenv(key, value)
            assert main(["report", TRANSPORT, "--out", str(out / "one"), "--max-stories",
                         str(STORIES), "-q"]) == 0
            # the group's pages without section changes (the slowest part, tested above)
            assert main(["report", "--group", "quic", "--out", str(out / "quic"),
                         "--max-stories", "1", "--no-changes", "-q"]) == 0
        yield {"one": out / "one", "quic": out / "quic", "url": server.datatracker_url,
               "cache": cache}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    with browser_or_skip() as session:
        yield session


def listed_revisions(cache, name) -> list[str]:
    """The labels doc.json lists for ``name``'s lineage, as cached (what the page links)."""
    import json

    doc = json.loads((cache / "meta" / f"{name}.json").read_text())
    doc = doc.get("doc", doc)
    return [e["name"] if e["name"].startswith("rfc") else f"{e['name']}-{e['rev']}"
            for e in doc["rev_history"]]


def assert_reads_well(check, page):
    assert check.console_errors == [], (page.name, check.width, check.console_errors)
    assert check.broken == [], (page.name, check.width)
    assert not check.scrolls_sideways, (page.name, check.width, check.scroll_width)
    assert all(f["label"] for f in check.figures), "a figure without alt text"


def test_lineage_page_in_the_browser(site, browser):
    page = site["one"] / f"{TRANSPORT}.html"
    labels = listed_revisions(site["cache"], TRANSPORT)
    # 35 WG revisions, the RFC and the two declared individual ones, in the lineage's order
    assert labels[:2] == [f"{HAMILTON}-00", f"{HAMILTON}-01"] and labels[-1] == "rfc9000"
    for width in WIDTHS:
        check = browser.check(page, width)
        assert_reads_well(check, page)
        # the keyword figure, the section changes, the definitions timeline, a strip a story
        assert len(check.figures) == 3 + STORIES
        assert all(f["width"] <= width for f in check.figures)
        assert check.revision_links == [f"{site['url']}/doc/html/{label}" for label in labels]
        print(f"{page.name} at {width}px: loaded in {check.load_ms:.0f} ms")
    text = page.read_text(encoding="utf-8")
    assert f"<title>{TRANSPORT}: draftscope report</title>" in text
    assert f"{STORIES} of the " in text and "stories drawn" in text
    assert 'id="sections"' in text and "Sections that changed at each step" in text
    assert "without a text here: " + f"{HAMILTON}-00, {HAMILTON}-01" in text
    assert not re.search(r"<script|https?://(?!127\.0\.0\.1)[^\s\"<]*\.(?:css|js)", text)


def test_group_pages_in_the_browser(site, browser, corpus_dir):
    import json

    quic = sorted(n for n, e in json.loads((corpus_dir / "lineage.json").read_text()).items()
                  if e["group"] == "quic")
    index = site["quic"] / "index.html"
    assert sorted(p.stem for p in site["quic"].glob("*.html") if p.name != "index.html") == quic
    for width in WIDTHS:
        check = browser.check(index, width)
        assert_reads_well(check, index)
        assert len(check.figures) == 1
        print(f"index.html at {width}px: loaded in {check.load_ms:.0f} ms")
    text = index.read_text(encoding="utf-8")
    assert sorted(re.findall(r'<a href="([^"]+)\.html">', text)) == quic
    for name in quic:
        page = site["quic"] / f"{name}.html"
        check = browser.check(page, 390)
        assert_reads_well(check, page)
        assert 'id="sections"' not in page.read_text(encoding="utf-8")   # --no-changes
        assert check.revision_links == [f"{site['url']}/doc/html/{label}"
                                        for label in listed_revisions(site["cache"], name)]
        assert 'href="index.html"' in page.read_text(encoding="utf-8")


def test_report_needs_a_name_or_a_group(capsys):
    assert main(["report"]) == 2
    assert "give a NAME or --group WG" in capsys.readouterr().err
    assert main(["report", TRANSPORT, "--group", "quic"]) == 2
    assert main(["report", "--group", "no such group!"]) == 2
    assert "invalid working group acronym" in capsys.readouterr().err
