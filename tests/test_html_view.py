"""The interactive HTML view in real headless Chromium: loads offline, shows nodes, search, zoom, drag.

Chromium comes from the distribution (`apt-get install chromium`, done by .ci/run); Playwright
drives it. Without a Chromium these tests fail and say how to install one.
"""

from __future__ import annotations

import os
import shutil

import networkx as nx
import pytest

from glutegraph.figures import DEFAULT_KINDS
from glutegraph.html import interactive

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]


def chromium_path() -> str:
    path = os.environ.get("GLUTEGRAPH_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("no Chromium found: install it (Debian: apt-get install chromium) or set "
                    "GLUTEGRAPH_CHROMIUM to its path")
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


VISIBLE_LABELS = """() => [...document.querySelectorAll("text.label")]
  .filter(t => t.style.display !== "none")
  .map(t => { const b = t.getBoundingClientRect();
              return { text: t.textContent, left: b.left, top: b.top, right: b.right,
                       bottom: b.bottom, size: parseFloat(getComputedStyle(t).fontSize) }; })"""

PANEL_GROUPS = """() => [...document.querySelectorAll("#panel-body details")].map(d => ({
  heading: d.querySelector("summary").textContent,
  items: [...d.querySelectorAll("li")].map(li => ({
    label: li.querySelector("button").textContent,
    entries: [...li.querySelectorAll(".entry")].map(e => ({
      detail: (e.querySelector(".detail") || {}).textContent || "",
      sources: (e.querySelector(".sources") || {}).textContent || "" })) })) }))"""


def panel_groups(page) -> dict[str, list[dict[str, str]]]:
    """The side panel's link groups, heading (without its count) -> items."""
    groups = page.evaluate(PANEL_GROUPS)
    headings = [g["heading"].rsplit(" (", 1)[0] for g in groups]
    assert len(headings) == len(set(headings)), headings  # one group per relation
    for group in groups:
        assert group["heading"].endswith(f"({len(group['items'])})")
    return {h: g["items"] for h, g in zip(headings, groups, strict=True)}


def boxes_overlap(a, b) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 \
        and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


class Page:
    """A page with everything it logged and every request it made."""

    def __init__(self, browser, url):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.problems, self.requests = [], []
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)


@pytest.fixture(scope="module")
def view_file(tmp_path_factory, embedded_kg):
    return interactive(embedded_kg).save(tmp_path_factory.mktemp("view") / "glutegraph.html")


@pytest.fixture
def page(browser, view_file):
    opened = Page(browser, view_file.as_uri())
    yield opened
    opened.page.close()


def test_the_page_loads_offline_with_no_errors_and_shows_the_nodes(page, view_file, embedded_kg):
    shown = [d for _, d in embedded_kg.to_networkx().nodes(data=True) if d["kind"] in DEFAULT_KINDS]
    assert page.page.locator("circle.node").count() == len(shown)
    assert page.page.locator("text.label", has_text="gluteus medius").count() >= 1
    assert page.problems == []
    assert page.requests == [view_file.as_uri()]  # nothing else fetched: no CDN, no fonts
    legend = page.page.text_content("#legend")
    assert all(kind in legend for kind in DEFAULT_KINDS)


def test_search_finds_gluteus_medius_and_shows_its_details_and_sources(page):
    page.page.fill("#search", "gluteus medius")
    assert page.page.text_content("#panel-title") == "gluteus medius"
    assert page.page.text_content("#panel-kind") == "muscle · kb:gluteus_medius"
    groups = panel_groups(page.page)
    assert [i["label"] for i in groups["innervated by"]] == ["superior gluteal nerve"]
    side_lying = next(i for i in groups["activated by (EMG, highest %MVIC first)"]
                      if i["label"] == "side-lying hip abduction")
    assert {"detail": "99.9 %MVIC mean",
            "sources": "Sources: MacAskill et al., Int J Sports Phys Ther"} in side_lying["entries"]
    assert "also called" in page.page.text_content("#panel-body")
    assert page.page.locator("circle.selected").count() == 1
    matched = page.page.eval_on_selector_all(
        "circle.match", "cs => cs.map(c => glutegraph.data.nodes.find(n => n.id === c.dataset.id))")
    assert {"anterior gluteus medius", "gluteus medius", "posterior gluteus medius"} <= {
        n["label"] for n in matched}  # medius, its two regions, and conditions called after it
    assert all(any("gluteus medius" in name.lower() for name in [n["label"], *n["synonyms"]])
               for n in matched)
    page.page.fill("#search", "zzz no such thing")
    assert page.page.text_content("#found") == "nothing found"
    assert page.problems == []


def test_wheel_zooms_and_dragging_moves_a_node(page):
    before = page.page.get_attribute("#viewport", "transform")
    page.page.mouse.move(600, 400)
    page.page.mouse.wheel(0, -400)
    after = page.page.get_attribute("#viewport", "transform")
    assert before != after and float(page.page.evaluate("glutegraph.view.k")) > float(
        before.split("scale(")[1].rstrip(")"))
    page.page.fill("#search", "piriformis syndrome")  # centres it in the view
    node = page.page.locator("circle.selected")
    cx = float(node.get_attribute("cx"))
    box = node.bounding_box()
    page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + 120, box["y"] + 60, steps=5)
    page.page.mouse.up()
    assert float(node.get_attribute("cx")) > cx + 20
    assert page.problems == []


def test_a_click_selects_a_node(page):
    page.page.locator("circle.node").nth(5).click()
    assert page.page.text_content("#panel-title") not in ("", "glutegraph")


def test_labels_are_data_never_markup(browser, tmp_path):
    hostile = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
    graph = nx.MultiDiGraph()
    graph.add_node("urn:x:a", kind="muscle", label=hostile, iri="urn:x:a", curie="urn:x:a",
                   definition="</script><b>bold?</b>")
    graph.add_node("urn:x:b", kind="action", label="hip abduction", iri="urn:x:b", curie="urn:x:b")
    graph.add_edge("urn:x:a", "urn:x:b", relation="produces", label="produces",
                   source_labels=["<i>study</i>"])
    opened = Page(browser, interactive(graph).save(tmp_path / "hostile.html").as_uri())
    opened.page.fill("#search", "img")
    assert opened.page.text_content("#panel-title") == hostile
    assert opened.page.locator("img, b, i").count() == 0
    assert opened.problems == []


def test_the_jupyter_frame_renders_the_same_view(browser, embedded_kg):
    view = interactive(embedded_kg)
    page = browser.new_page()
    page.set_content(view._repr_html_())
    shown = [d for _, d in embedded_kg.to_networkx().nodes(data=True) if d["kind"] in DEFAULT_KINDS]
    assert page.frame_locator("iframe").locator("circle.node").count() == len(shown)
    page.close()


def test_every_kind_can_be_shown(browser, tmp_path, embedded_kg):
    opened = Page(browser, interactive(embedded_kg, kinds=None).save(tmp_path / "all.html").as_uri())
    assert opened.page.locator("circle.node").count() == embedded_kg.to_networkx().number_of_nodes()
    assert opened.problems == []
