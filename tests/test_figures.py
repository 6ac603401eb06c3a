"""The matplotlib figures: what they draw (nodes, labels, legend, axes, studies), not only that they run."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

import glutegraph as gg
from glutegraph.figures import (
    DEFAULT_KINDS,
    KIND_COLOURS,
    activation_heatmap,
    draw,
    exercise_comparison,
)
from glutegraph.network import neighbourhood


def texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def overlapping_labels(fig):
    """Pairs of node labels whose drawn boxes overlap (measured by the Agg renderer)."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.axes[0].texts
             if t.get_fontsize() < 8]  # node labels (layer headings are larger)
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
            if box_a.overlaps(box_b) and box_a.intersection(box_a, box_b).width > 1
            and box_a.intersection(box_a, box_b).height > 1]


@pytest.fixture(scope="module")
def g(embedded_kg):
    return embedded_kg.to_networkx()


def test_draw_shows_every_node_of_the_chosen_kinds_once_with_its_label(embedded_kg, g):
    fig = draw(embedded_kg)
    shown = [d["label"] for _, d in g.nodes(data=True) if d["kind"] in DEFAULT_KINDS]
    drawn = [t for t in texts(fig) if t not in {k.upper() + "S" for k in DEFAULT_KINDS}]
    assert sorted(drawn) == sorted(shown) and len(shown) > 80
    points = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    assert points == len(shown)


def test_draw_has_a_legend_for_kinds_and_relations(embedded_kg):
    legend = [t.get_text() for t in draw(embedded_kg).axes[0].get_legend().get_texts()]
    count = {k: embedded_kg.query(f"SELECT (COUNT(*) AS ?n) {{ ?x a gg:{k} }}")[0].n
             for k in ("Exercise", "Condition", "JointAction")}
    assert {f"exercise ({count['Exercise']})", f"condition ({count['Condition']})",
            f"action ({count['JointAction']})"} <= set(legend)
    assert any(t.startswith("muscle (") for t in legend)
    assert {"activates (EMG)", "innervated by", "treats (evidence)", "produces (action)"} <= set(legend)


def test_draw_puts_each_kind_in_its_own_column_in_order(embedded_kg, g):
    fig = draw(embedded_kg)
    x_of = {t.get_text(): t.get_position()[0] for t in fig.axes[0].texts}
    columns = [x_of[kind.upper() + "S"] for kind in DEFAULT_KINDS]
    assert columns == sorted(columns) and len(set(columns)) == len(columns)
    assert x_of["gluteus medius"] > x_of["MUSCLES"] and x_of["gluteus medius"] < x_of["ACTIONS"]


@pytest.mark.parametrize("kinds", [DEFAULT_KINDS, None], ids=["default", "every kind"])
def test_node_labels_never_overlap(embedded_kg, kinds):
    assert overlapping_labels(draw(embedded_kg, kinds=kinds)) == []


def test_draw_a_view_and_refuse_what_cannot_be_drawn(g):
    fig = draw(neighbourhood(g, "piriformis syndrome"), kinds=None)
    assert "FAIR test" in texts(fig) and "piriformis" in texts(fig)
    with pytest.raises(gg.QueryError, match="no kind"):
        draw(g, kinds=["muscles"])
    with pytest.raises(gg.QueryError, match="nothing to draw"):
        draw(neighbourhood(g, "piriformis", depth=0), kinds=["treatment"])
    with pytest.raises(gg.QueryError, match="max_rows"):
        draw(g, max_rows=10)
    assert set(DEFAULT_KINDS) <= set(KIND_COLOURS)


@pytest.mark.parametrize(("suffix", "magic"), [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_figures_save_as_png_svg_and_pdf(tmp_path, embedded_kg, suffix, magic):
    path = tmp_path / f"graph.{suffix}"
    draw(embedded_kg).savefig(path)
    assert path.read_bytes().startswith(magic)


def test_heatmap_names_axes_figures_and_the_study_behind_each(embedded_kg):
    fig = activation_heatmap(embedded_kg)
    ax, notes = fig.axes[0], fig.axes[1]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("muscle (EMG electrode site)", "exercise")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert "barbell hip thrust" in rows and "lower gluteus maximus" in columns
    listing = notes.texts[0].get_text()
    studies = [line.split("] ", 1)[1] for line in listing.splitlines() if line.startswith("[")]
    number = studies.index("Contreras 2015, J Appl Biomech") + 1
    assert f"86.8\n[{number}]" in [t.get_text() for t in ax.texts]
    assert "not directly comparable" in listing
    assert fig.axes[-1].get_ylabel() == "mean %MVIC"  # the colour bar


def test_heatmap_can_be_narrowed_and_says_when_nothing_is_left(embedded_kg):
    fig = activation_heatmap(embedded_kg, muscles=["gluteus medius"])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["gluteus medius"]
    with pytest.raises(gg.QueryError, match="no EMG measurement"):
        activation_heatmap(embedded_kg, muscles=["no such muscle"])
    with pytest.raises(gg.QueryError, match="max_rows=3"):
        activation_heatmap(embedded_kg, max_rows=3)


def test_comparison_ranks_exercises_by_the_measured_mean_with_studies(embedded_kg):
    ranking = [r for r in embedded_kg.exercises(target="gluteus medius", limit=6) if r.best]
    fig = exercise_comparison(embedded_kg, "gluteus medius", limit=6)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [r.exercise.label for r in ranking]
    assert [p.get_width() for p in ax.patches] == [float(r.best.mean_mvic) for r in ranking]
    assert "%MVIC" in ax.get_xlabel() and "gluteus medius" in ax.get_title()
    shown = " ".join(texts(fig))
    assert all(r.best.study.label.split(",")[0] in shown for r in ranking)
    with pytest.raises(gg.UnknownNameError, match="did you mean"):
        exercise_comparison(embedded_kg, "gluteus medus")


def test_figures_leave_pyplot_alone():
    code = ("import sys, glutegraph as gg; gg.draw(gg.load()); gg.activation_heatmap(gg.load()); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
