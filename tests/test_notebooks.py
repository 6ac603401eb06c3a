"""The notebooks run top to bottom in a real Jupyter kernel (`make test` also runs them all with
nbmake); here one is executed with nbclient to check what a user sees: pictures, not reprs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


def test_there_are_at_least_four_notebooks_committed_without_outputs():
    books = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert len(books) >= 4
    for path in books:
        book = json.loads(path.read_text())
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code), path
        assert book["cells"][0]["cell_type"] == "markdown"  # each opens with its story


@pytest.fixture(scope="module")
def network_notebook():
    book = nbformat.read(NOTEBOOKS / "03_network_analysis.ipynb", as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return book


def outputs_of(book, marker):
    cell = next(c for c in book.cells if c.cell_type == "code" and marker in c.source)
    return cell.outputs


def test_figures_show_as_images_in_jupyter(network_notebook):
    for marker in ("gg.draw(neighbourhood", "gg.activation_heatmap(kg)"):
        data = outputs_of(network_notebook, marker)[0]["data"]
        assert "image/png" in data, marker


def test_the_interactive_view_shows_inline(network_notebook):
    data = outputs_of(network_notebook, "gg.interactive(")[0]["data"]
    assert data["text/html"].startswith("<iframe srcdoc=")


def test_explanations_print_with_their_sources(network_notebook):
    text = "".join(o.get("text", "") for o in outputs_of(network_notebook, "kg.explain("))
    assert "side-lying hip abduction activates gluteus medius" in text and "[" in text
