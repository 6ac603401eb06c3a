"""The interactive HTML view in real headless Chromium: loads offline, shows nodes, search, zoom, drag.

Chromium comes from the distribution (`apt-get install chromium`, done by .ci/run); Playwright
drives it. Without a Chromium these tests fail and say how to install one.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import Page

import glutegraph
from glutegraph.figures import DEFAULT_KINDS
from glutegraph.html import interactive

VISIBLE_LABELS = """() => [...document.querySelectorAll("text.label")]
  .filter(t => t.style.display !== "none")
  .map(t => { const b = t.getBoundingClientRect();
              return { text: t.textContent, left: b.left, top: b.top, right: b.right,
                       bottom: b.bottom, size: parseFloat(getComputedStyle(t).fontSize) }; })"""

PANEL_GROUPS = """() => [...document.querySelectorAll("#panel-body details.group")].map(d => ({
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
    side_lying = next(i for i in groups["activated by (EMG %MVIC: means high to low, then peaks, flagged last)"]
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


BOXES = """sel => [...document.querySelectorAll(sel)].filter(e => e.style.display !== "none")
  .map(e => { const b = e.getBoundingClientRect();
              return { left: b.left, top: b.top, right: b.right, bottom: b.bottom }; })"""


@pytest.mark.parametrize("size", [(1400, 900), (1000, 640)])  # a window; a Jupyter frame
def test_the_graph_fills_the_window_with_readable_labels(browser, view_file, size):
    opened = Page(browser, view_file.as_uri(), *size)
    page = opened.page
    svg = page.locator("#svg").bounding_box()
    labels = page.evaluate(VISIBLE_LABELS)
    shown = labels + page.evaluate(BOXES, "circle.node")
    left, right = min(b["left"] for b in shown), max(b["right"] for b in shown)
    top, bottom = min(b["top"] for b in shown), max(b["bottom"] for b in shown)
    assert right - left >= 0.95 * svg["width"]  # the whole width, and
    assert bottom - top >= 0.8 * svg["height"]  # the height less the search bar and the key
    assert svg["x"] - 0.5 <= left and right <= svg["x"] + svg["width"] + 0.5
    assert svg["y"] <= top and bottom <= svg["y"] + svg["height"]
    nodes = page.evaluate("glutegraph.data.nodes.length")
    assert len(labels) >= (0.7 if size[1] > 800 else 0.45) * nodes
    for label in labels:  # 12 px text, drawn at 12 px whatever the zoom
        assert label["size"] >= 11 and label["bottom"] - label["top"] >= 11, label
    for i, a in enumerate(labels):
        assert not any(boxes_overlap(a, b) for b in labels[i + 1:]), a["text"]
    if size == (1400, 900):  # every column but the 84 exercises is labelled in full
        unlabelled = page.evaluate("""glutegraph.data.nodes.filter(n => n.kind !== "exercise"
                                        && n.text.style.display === "none").map(n => n.label)""")
        assert unlabelled == []
    page.mouse.move(svg["x"] + svg["width"] / 2, svg["y"] + svg["height"] / 2)
    page.mouse.wheel(0, -600)  # zooming in shows more labels, still at 12 px
    page.wait_for_timeout(100)
    zoomed = page.evaluate(VISIBLE_LABELS)
    assert all(label["size"] == 12 for label in zoomed)
    exercises = """glutegraph.data.nodes.filter(n => n.kind === "exercise"
                     && n.text.style.display !== "none").length"""
    page.click("#fit")
    before = page.evaluate(exercises)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(100)
    assert page.evaluate(exercises) >= before  # the dense column gains labels in view
    assert opened.problems == []
    page.close()


def test_each_layer_has_a_column_header_above_its_nodes(page, embedded_kg):
    graph = embedded_kg.to_networkx()
    counts = {k: sum(d["kind"] == k for _, d in graph.nodes(data=True)) for k in DEFAULT_KINDS}
    headings = page.page.evaluate("""[...document.querySelectorAll("text.heading")].map(t => {
        const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.bottom]; })""")
    assert [h[0] for h in headings] == [f"{k}s ({counts[k]})" for k in DEFAULT_KINDS]
    assert [h[1] for h in headings] == sorted(h[1] for h in headings)
    dots = page.page.evaluate("""glutegraph.data.columns.map(c => c.nodes.map(n => {
        const b = n.circle.getBoundingClientRect(); return [b.left, b.top]; }))""")
    for (_, x, y), column in zip(headings, dots, strict=True):
        assert all(abs(left - x) < 4 and top > y for left, top in column)


def test_a_synonym_search_selects_the_node_and_zooms_to_it(page):
    before = page.page.evaluate("glutegraph.view.k")
    page.page.fill("#search", "Glute-Med")  # a related synonym, in another case and spelling
    assert page.page.text_content("#panel-title") == "gluteus medius"
    assert "also called glute med" in page.page.text_content("#found")
    assert page.page.evaluate("glutegraph.view.k") >= 1.8 * before
    svg = page.page.locator("#svg").bounding_box()
    dot = page.page.locator("circle.selected").bounding_box()
    assert svg["width"] / 4 - 1 <= dot["x"] + dot["width"] / 2 - svg["x"] <= svg["width"] / 2 + 1
    assert abs(dot["y"] + dot["height"] / 2 - (svg["y"] + svg["height"] / 2)) < 0.1 * svg["height"]
    assert "gluteus medius" in [label["text"] for label in page.page.evaluate(VISIBLE_LABELS)]
    page.page.fill("#search", "nervus gluteus superior")  # an exact synonym
    assert page.page.text_content("#panel-title") == "superior gluteal nerve"
    assert page.problems == []


def test_the_panel_lists_links_grouped_by_relation_sorted_without_repeats(page, embedded_kg):
    graph = embedded_kg.to_networkx()
    syndrome = next(n for n, d in graph.nodes(data=True) if d["label"] == "piriformis syndrome")
    treatments = {graph.nodes[u]["label"] for u, _, d in graph.in_edges(syndrome, data=True)
                  if d["relation"] in ("treats", "gg:ameliorates")}
    page.page.fill("#search", "piriformis syndrome")
    groups = panel_groups(page.page)
    treated = [item["label"] for item in groups["treated by"]]
    assert treated == sorted(treatments, key=str.casefold)  # each treatment once, by name
    therapy = next(i for i in groups["treated by"] if i["label"] == "physical therapy")
    assert therapy["entries"] == [  # the graded evidence, then who else states the link
        {"detail": "limited evidence", "sources": "Sources: Fishman 2002, Arch Phys Med Rehabil"},
        {"detail": "also stated, without a grade:",
         "sources": "Sources: The glutes and how to train these muscles (popular article)"}]
    in_view = page.page.evaluate("""() => {  // the treatments whose dots are in view
      const box = document.getElementById("svg").getBoundingClientRect();
      return glutegraph.data.nodes.filter(n => n.kind === "treatment").filter(n => {
        const b = n.circle.getBoundingClientRect();
        return b.top > box.top + 70 && b.bottom < box.bottom - 40; }).map(n => n.label); }""")
    labelled = [label["text"] for label in page.page.evaluate(VISIBLE_LABELS)]
    assert len(in_view) >= 5 and set(in_view) <= set(labelled)  # zoomed, with room for labels
    assert {"involves", "related condition", "subtype of"} <= set(groups)
    total = sum(len(items) for items in groups.values())
    assert page.page.text_content("#panel-body h3") == f"Links ({total})"

    page.page.fill("#search", "gluteus medius")
    groups = panel_groups(page.page)
    for heading, items in groups.items():
        labels = [item["label"] for item in items]
        assert len(labels) == len(set(labels)), heading  # one item per linked entity
        for item in items:
            entries = [(e["detail"], e["sources"]) for e in item["entries"]]
            assert len(entries) == len(set(entries)), item["label"]
    emg = groups["activated by (EMG %MVIC: means high to low, then peaks, flagged last)"]
    assert emg[0]["label"] == "side-lying hip abduction"  # see the next test for the order
    alphabetical = [item["label"] for item in groups["primary target of"]]
    assert alphabetical == sorted(alphabetical, key=str.casefold)
    page.page.locator("#panel-body button.link", has_text="superior gluteal nerve").first.click()
    assert page.page.text_content("#panel-title") == "superior gluteal nerve"
    assert page.problems == []


def test_the_panel_ranks_emg_figures_as_the_api_does_flagged_figures_last(page, embedded_kg):
    # Fatima 2020's 222.9 %MVIC for the Y-balance reach carries a quality concern: the API
    # ranks the reach by its unflagged figure, and so must the panel (not first, by 222.9)
    ranking = [r for r in embedded_kg.exercises(target="gluteus medius") if r.best is not None]
    assert any(m.concerns and m.mean_mvic > 200 for r in ranking for m in r.measurements)
    page.page.fill("#search", "gluteus medius")
    emg = panel_groups(page.page)["activated by (EMG %MVIC: means high to low, then peaks, flagged last)"]
    api_order = [r.exercise.label for r in ranking]
    assert [item["label"] for item in emg] == api_order
    reach = next(item for item in emg if item["label"] == "Y-balance reach")
    details = [e["detail"] for e in reach["entries"]]
    best = next(r.best for r in ranking if r.exercise.label == "Y-balance reach")
    assert not best.concerns and details[0].startswith(f"{best.mean_mvic:g} %MVIC mean")
    flagged = [d for d in details if d.endswith("quality concern")]
    assert "222.9 %MVIC mean, n=17, quality concern" in flagged
    assert details[-len(flagged):] == flagged  # every flagged figure after the others
    plank = next(item for item in emg if item["label"] == "side plank with hip abduction")
    assert plank["entries"][0]["detail"] == "peak 103 %MVIC, n=24"  # only peaks: said so
    assert page.problems == []


@pytest.mark.parametrize("query", [None, "glute med", "hip external rotation",
                                   "corticosteroid injection at the greater trochanter",
                                   "progressive tendon loading"])
def test_no_label_is_under_the_side_panel_or_cut_off(page, query):
    if query is None:
        assert not page.page.locator("#panel").is_visible()  # it opens on a selection
    else:
        page.page.fill("#search", query)
        assert page.page.locator("#panel").is_visible()
    svg = page.page.locator("#svg").bounding_box()
    edge = svg["x"] + svg["width"]
    if query is not None:
        assert page.page.locator("#panel").bounding_box()["x"] >= edge - 0.5
    texts = page.page.evaluate(VISIBLE_LABELS) + page.page.evaluate(BOXES, "text.heading")
    for box in texts:
        assert svg["x"] <= box["left"] and box["right"] <= edge, box
    if query is not None:
        assert query in [label["text"] for label in page.page.evaluate(VISIBLE_LABELS)] \
            or query == "glute med"
    page.page.click("#close") if query else None
    assert not page.page.locator("#panel").is_visible()


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


@pytest.mark.parametrize("source", ["bundled", "long labels"])
def test_whichever_node_is_selected_no_label_reaches_past_the_graph(browser, tmp_path,
                                                                    embedded_kg, source):
    graph = embedded_kg
    if source == "long labels":  # every length from 20 to 99 characters, selected in bold
        graph = nx.MultiDiGraph()
        graph.add_node("urn:x:c", kind="condition", label="a condition", curie="x:c")
        for length in range(20, 100):
            node = f"urn:x:{length}"
            label = ("a treatment with a long name " * 4)[:length]
            graph.add_node(node, kind="treatment", label=label, curie=f"x:{length}")
            graph.add_edge(node, "urn:x:c", relation="treats", label="treats")
    opened = Page(browser, interactive(graph).save(tmp_path / "view.html").as_uri())
    offenders = opened.page.evaluate("""() => {
      const svg = document.getElementById("svg"), out = [];
      for (const n of glutegraph.data.nodes) {
        glutegraph.select(n.id);  // the panel opens; the label is drawn in bold
        glutegraph.zoomTo(n);
        glutegraph.drawLabels();
        const box = svg.getBoundingClientRect();
        for (const t of document.querySelectorAll("text.label, text.heading")) {
          if (t.style.display === "none") continue;
          const b = t.getBoundingClientRect();
          if (b.left < box.left || b.right > box.right) out.push([n.label, t.textContent]);
        }
      }
      return out; }""")
    assert offenders == []
    assert opened.problems == []


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


def test_labels_and_synonyms_from_an_added_file_are_data_never_markup(browser, tmp_path):
    lab = (Path(__file__).parent / "data" / "lab_extension.ttl").read_text()
    hostile = '<img src=x onerror="alert(1)"><!--<script>alert(2)</script>&amp;'
    escaped = hostile.replace('"', '\\"')
    added = tmp_path / "hostile.ttl"
    added.write_text(lab.replace(
        'rdfs:label "landmine hip thrust"@en ;',
        f'rdfs:label "landmine hip thrust {escaped}"@en ;\n'
        '    <http://www.geneontology.org/formats/oboInOwl#hasExactSynonym> '
        '"zz</script><b>bold</b>"@en ;'))
    kg = glutegraph.load([added])
    opened = Page(browser, interactive(kg).save(tmp_path / "view.html").as_uri())
    opened.page.fill("#search", "zz</script><b>bold</b>")  # found by its hostile synonym
    assert opened.page.text_content("#panel-title") == f"landmine hip thrust {hostile}"
    assert "zz</script><b>bold</b>" in opened.page.text_content("#panel-body")
    assert opened.page.locator("img, b, i").count() == 0
    assert opened.page.locator("script").count() == 2  # the data and the page's own script
    assert opened.page.locator("circle.node").count() > 100  # the page still works
    edge = opened.page.locator("#panel").bounding_box()["x"]
    assert all(label["right"] <= edge for label in opened.page.evaluate(VISIBLE_LABELS))
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
