"""The answer page in real headless Chromium (Debian's `chromium`, driven by Playwright).

The app runs under uvicorn in a background thread on 127.0.0.1 and a free port, over the
embedded default corpus (`om_settings`). Screenshots land in test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medcite.settings import Settings

CHROMIUM = Path(os.environ.get("MEDCITE_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium dials out at start, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SEED = "What is the first-line treatment for an acute gout flare?"
FOLLOW_UP = "and in patients with chronic kidney disease?"

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (.venv/bin/pip install playwright)"
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not found (apt-get install -y chromium)"),
]

# WCAG contrast of every element that holds text, against the first opaque background behind it.
CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                     if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) bad.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
  return bad;
}"""

UNLABELLED_JS = """() => [...document.querySelectorAll('input:not([type=hidden]), button, select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
  .map(el => el.outerHTML.slice(0, 80))"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(om_settings: Settings) -> Iterator[str]:
    import uvicorn

    from medcite.api import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(om_settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _ask(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Your question").fill(SEED)
    page.get_by_label("Clinician").check()
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_url(re.compile(r"/answers/ans_\w+$"))


def test_ask_open_a_citation_switch_audience_and_follow_up(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _ask(page, base_url)
    expect = playwright_sync.expect
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED)
    expect(page.locator(".bottom-line")).to_contain_text("olchicine")
    expect(page.locator("[data-testid=status-badge]")).to_contain_text("pending human review")
    expect(page.locator(".disclaimer")).to_contain_text("does not replace clinical judgement")
    expect(page.locator(".references a[href^='https://doi.org/']").first).to_be_visible()

    # a citation opens its passage, source and evidence level on click/tap, and closes on Escape
    cite = page.locator(".bottom-line button.cite").first
    popover = page.locator("#" + cite.get_attribute("aria-controls"))
    expect(popover).to_be_hidden()
    cite.click()
    expect(popover).to_be_visible()
    expect(cite).to_have_attribute("aria-expanded", "true")
    expect(popover.locator(".pop-text")).not_to_be_empty()
    expect(popover).to_contain_text("Gout")
    expect(popover).to_contain_text("Evidence:")
    _shot(page, "answer-citation-open")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(cite).to_have_attribute("aria-expanded", "false")
    page.mouse.move(0, 0)
    cite.hover()
    expect(popover).to_be_visible()
    page.mouse.move(0, 0)
    expect(popover).to_be_hidden()

    _shot(page, "answer-desktop")
    assert page.evaluate(CONTRAST_JS) == []
    assert page.evaluate(UNLABELLED_JS) == []

    # the audience switch re-renders the wording for the chosen reader
    first_url = page.url
    page.get_by_label("Patient or carer").check()
    page.wait_for_url(lambda url: url != first_url and "/answers/ans_" in url)
    expect(page.locator(".meta")).to_contain_text("Worded for: Patient or carer")
    expect(page.locator(".notes")).to_be_visible()

    # a follow-up continues the thread and is read in its context
    page.get_by_label("Continue this conversation").fill(FOLLOW_UP)
    page.get_by_role("button", name="Ask follow-up").click()
    page.wait_for_url(re.compile(r"\?thread=thr_\w+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FOLLOW_UP)
    expect(page.get_by_role("navigation", name="Conversation so far")).to_contain_text(SEED)
    expect(page.locator(".references")).to_contain_text("Gout")
    _shot(page, "follow-up-desktop")
    page.close()


def test_keyboard_only_reader_can_open_a_citation(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _ask(page, base_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    cite = page.locator("button.cite").first
    cite.focus()
    popover = page.locator("#" + cite.get_attribute("aria-controls"))
    playwright_sync.expect(popover).to_be_visible()
    page.keyboard.press("Enter")  # pins it open
    page.keyboard.press("Escape")
    playwright_sync.expect(popover).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cite')")
    page.close()


def test_phone_width_and_print(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    _ask(page, base_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling at phone width"
    cite = page.locator(".bottom-line button.cite").first
    cite.tap()
    popover = page.locator("#" + cite.get_attribute("aria-controls"))
    playwright_sync.expect(popover).to_be_visible()
    box = popover.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    _shot(page, "answer-phone-citation")
    page.locator(".pop-close:visible").click()
    playwright_sync.expect(popover).to_be_hidden()
    _shot(page, "answer-phone")
    page.emulate_media(media="print")
    assert page.locator(".follow-up").is_hidden() and page.locator(".references").is_visible()
    page.pdf(path=str(ARTIFACTS / "answer-print.pdf"))
    page.close()
