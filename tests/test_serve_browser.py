"""`clip serve` in a real browser: headless Chromium driven by selenium opens the library,
types a query, follows a result, reads a hostile clipping as text, and fits a phone's width.
Screenshots go to the test's folder, and to $CLIP_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clipper.library.core import Library
from clipper.model import Draft
from tests.serve_fixtures import (
    HOSTILE_TITLE,
    SNAPSHOT_PAGE,
    Served,
    add_hostile,
    add_wire,
    serving,
)

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver")
DESKTOP, PHONE = (1280, 900), (390, 844)
WAIT = 60  # seconds a page may take to come, on a loaded machine; never a measure


def found(names: tuple[str, ...]) -> str | None:
    for name in names:
        path = shutil.which(name) or (name if os.access(name, os.X_OK) else None)
        if path:
            return path
    return None


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    binary, driver_path = found(BROWSERS), found(DRIVERS)
    if binary is None or driver_path is None:
        pytest.skip(
            "no Chromium and chromedriver found (Debian: apt-get install chromium "
            "chromium-driver): the browser test needs both"
        )
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = binary
    # --no-sandbox: Chromium's own sandbox refuses to start as root (CI runs as root).
    arguments = (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    )  # fmt: skip
    for argument in arguments:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def view(library_home: Path, library: Library) -> Iterator[Served]:
    add_wire(library)
    with serving(library_home, page_size=20) as served:
        yield served


class Shots:
    """Screenshots by name, into the test's folder and $CLIP_SCREENSHOTS."""

    def __init__(self, driver: Any, folder: Path) -> None:
        self.driver = driver
        self.folders = [folder]
        extra = os.environ.get("CLIP_SCREENSHOTS")
        if extra:
            self.folders.append(Path(extra))
        for place in self.folders:
            place.mkdir(parents=True, exist_ok=True)

    def take(self, name: str) -> None:
        # The whole page, not only the window: the page's height at this width.
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, max(int(height) + 120, 400))
        for place in self.folders:
            assert self.driver.save_screenshot(str(place / f"{name}.png"))


def no_alert(driver: Any) -> bool:
    try:
        driver.switch_to.alert  # noqa: B018 (the property raises when no alert is open)
    except NoAlertPresentException:
        return True
    return False


def fits(driver: Any) -> bool:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    return bool(driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    ))  # fmt: skip


def test_search_from_the_library_and_follow_a_result(
    browser: Any, view: Served, tmp_path: Path
) -> None:
    shots = Shots(browser, tmp_path / "shots")
    browser.get(view.url)
    assert browser.title == "Library · clip"
    assert "3 clippings" in browser.find_element(By.TAG_NAME, "h1").text
    shots.take("library-desktop")
    browser.set_window_size(*DESKTOP)
    box = browser.find_element(By.CSS_SELECTOR, "form.searchbox input[name=q]")
    box.send_keys("tram stops")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT).until(expected_conditions.url_contains("/search"))
    assert browser.find_element(By.CSS_SELECTOR, "form.searchbox input[name=q]").get_attribute(
        "value"
    ) == "tram stops"
    marks = browser.find_elements(By.CSS_SELECTOR, "ol.hits mark")
    assert "tram" in {m.text.lower() for m in marks}
    shots.take("search-desktop")
    browser.set_window_size(*DESKTOP)
    first = browser.find_element(By.CSS_SELECTOR, "ol.hits li h2 a")
    title = first.text
    first.click()
    WebDriverWait(browser, WAIT).until(expected_conditions.url_contains("/clipping/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert browser.find_elements(By.CSS_SELECTOR, ".text mark")  # the query's words
    shots.take("clipping-desktop")


def test_a_hostile_clipping_is_text_in_the_browser(
    browser: Any, view: Served, library: Library, tmp_path: Path
) -> None:
    shots = Shots(browser, tmp_path / "shots")
    hostile = add_hostile(library)
    for path in (f"clipping/{hostile}", "search?q=harbour+budget", "", f"story/{hostile}",
                 "review"):  # fmt: skip
        browser.get(view.url + path)
        assert no_alert(browser), path
        assert browser.find_elements(By.TAG_NAME, "script") == [], path
        assert browser.find_elements(By.CSS_SELECTOR, "main img, body > img, .text img") == []
        assert browser.find_elements(By.CSS_SELECTOR, "[onerror], [onload], [onclick]") == []
        assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript' i]") == [], path
        assert browser.find_elements(By.CSS_SELECTOR, "b, i") == [], path
    browser.get(view.url + f"clipping/{hostile}")
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
    text = browser.find_element(By.CSS_SELECTOR, ".text").text
    assert "<img src=x onerror=\"alert('text')\">" in text
    assert "</p><script>alert('p')</script>" in text
    address = browser.find_element(By.CSS_SELECTOR, "dd.url")
    assert address.text == "javascript:alert('url')"
    assert address.find_elements(By.TAG_NAME, "a") == []  # text, never a link
    shots.take("hostile-desktop")


def test_a_kept_page_runs_no_script(browser: Any, view: Served, library: Library) -> None:
    added = library.add_captured(
        Draft(text="The page kept.", title="Kept", url="https://kept.example/a"),
        page=SNAPSHOT_PAGE,
    ).clipping
    browser.get(view.url + f"clipping/{added.id}/snapshot")
    assert "Original page" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.title == "kept"  # its script would have renamed it
    assert no_alert(browser)


@pytest.mark.parametrize("path", ["", "search?q=tram", "clipping/2", "story/2", "review"])
def test_every_page_fits_a_phone(browser: Any, view: Served, tmp_path: Path, path: str) -> None:
    shots = Shots(browser, tmp_path / "shots")
    browser.set_window_size(*PHONE)
    browser.get(view.url + path)
    assert fits(browser), path
    name = (path.split("?", maxsplit=1)[0].replace("/", "-") or "library") + "-phone"
    shots.take(name)
    if path == "review":
        browser.set_window_size(*DESKTOP)
        shots.take("review-desktop")
