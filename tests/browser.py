"""A headless Chromium driven by Selenium, for tests that open generated pages from disk.

Uses the distribution's browser and driver (Debian: ``apt-get install chromium
chromium-driver``; .ci/run installs them), never a downloaded one: the chromedriver path is
given, so Selenium Manager stays idle, and the machine needs no internet.
:func:`browser_or_skip` says why when no browser can be had. Also runnable by hand:

    python3 tests/browser.py PAGE.html [--screenshot PREFIX]

prints each width's checks and the load time, and saves PREFIX-740.png / PREFIX-390.png.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

# the widths a page must read well at: a blog column, a phone
WIDTHS = (740, 390)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_NAMES = ("chromedriver",)


def find_browser() -> tuple[str | None, str | None, str]:
    """(browser, driver, reason): the executables, or None and why not."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, None, "selenium is not installed (pip install selenium; .ci/run does)"
    browser = os.environ.get("DRAFTSCOPE_CHROMIUM") or next(
        (p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)
    driver = os.environ.get("DRAFTSCOPE_CHROMEDRIVER") or next(
        (p for p in map(shutil.which, DRIVER_NAMES) if p), None)
    if not browser or not driver:
        return None, None, ("no chromium/chromedriver on PATH (Debian: apt-get install chromium "
                            "chromium-driver; .ci/run does)")
    return browser, driver, ""


def browser_or_skip():
    import pytest

    browser, driver, reason = find_browser()
    if browser is None:
        pytest.skip(f"no browser to test the page in: {reason}")
    return Browser(browser, driver)


@dataclass
class PageCheck:
    """What one load of a page at one width showed."""

    width: int
    console_errors: list[str]
    scroll_width: int
    client_width: int
    figures: list[dict]            # {"tag", "label", "width", "height"} per svg/img
    revision_links: list[str]      # href of every a.revision
    load_ms: float                 # navigation start to the load event
    title: str = ""
    broken: list[str] = field(default_factory=list)   # figures of zero size

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll_width > self.client_width


_PROBE = """
const figures = [...document.querySelectorAll('svg.figure, img')].map(e => {
  const r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), label: e.getAttribute('aria-label') || e.getAttribute('alt'),
          width: r.width, height: r.height,
          complete: e.tagName.toLowerCase() === 'img' ? (e.complete && e.naturalWidth > 0) : true};
});
const nav = performance.getEntriesByType('navigation')[0];
return JSON.stringify({
  scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  figures: figures, links: [...document.querySelectorAll('a.revision')].map(a => a.href),
  load: nav ? nav.loadEventEnd - nav.startTime : -1, title: document.title});
"""


class Browser:
    """One headless Chromium session (``with Browser(...) as b: b.check(path, 740)``)."""

    def __init__(self, browser: str, driver: str) -> None:
        self.browser, self.driver_path = browser, driver
        self.driver = None

    def __enter__(self) -> "Browser":
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = self.browser
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
                         "--disable-extensions", "--window-size=740,1000"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=self.driver_path),
                                       options=options)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.driver is not None:
            self.driver.quit()

    def _viewport(self, width: int) -> None:
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})

    def check(self, page: Path, width: int) -> PageCheck:
        """Open ``page`` from disk at ``width`` CSS pixels and measure it."""
        self._viewport(width)
        self.driver.get_log("browser")          # drop what an earlier page logged
        self.driver.get(Path(page).resolve().as_uri())
        data = json.loads(self.driver.execute_script(_PROBE))
        errors = [entry["message"] for entry in self.driver.get_log("browser")
                  if entry.get("level") in ("SEVERE", "ERROR")]
        figures = data["figures"]
        broken = [f["label"] or f["tag"] for f in figures
                  if not (f["width"] > 0 and f["height"] > 0 and f["complete"])]
        return PageCheck(width=width, console_errors=errors, scroll_width=data["scroll"],
                         client_width=data["client"], figures=figures,
                         revision_links=data["links"], load_ms=float(data["load"]),
                         title=data["title"], broken=broken)

    def screenshot(self, page: Path, width: int, target: Path, *, full: bool = False) -> Path:
        """A screenshot of ``page`` at ``width`` (the first screen, or the whole page)."""
        self._viewport(width)
        self.driver.get(Path(page).resolve().as_uri())
        if full:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": min(int(height), 16000), "deviceScaleFactor": 1,
                "mobile": width < 500})
        self.driver.save_screenshot(str(target))
        return target


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="check a page in headless Chromium")
    parser.add_argument("page", type=Path)
    parser.add_argument("--screenshot", metavar="PREFIX")
    args = parser.parse_args(argv)
    browser, driver, reason = find_browser()
    if browser is None:
        print(f"no browser: {reason}", file=sys.stderr)
        return 1
    with Browser(browser, driver) as session:
        for width in WIDTHS:
            check = session.check(args.page, width)
            print(f"{width}px: load {check.load_ms:.0f} ms, scroll {check.scroll_width}/"
                  f"{check.client_width}, {len(check.figures)} figures ({len(check.broken)} "
                  f"broken), {len(check.revision_links)} revision links, "
                  f"{len(check.console_errors)} console errors {check.console_errors[:3]}")
            if args.screenshot:
                print(session.screenshot(args.page, width, Path(f"{args.screenshot}-{width}.png")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
