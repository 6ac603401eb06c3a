"""Answers read well in Jupyter: every answer type has an HTML view holding the real figures,
escaped; reprs are one short line; DataFrames are tidy, with numbers as numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

import glutegraph as gg
from glutegraph import jupyter
from glutegraph.advice.models import Excluded, Recommendation, Stage, Step
from glutegraph.models import Condition, Measurement, Muscle, Ref, Study
from glutegraph.results import RankedExercise, Results
from glutegraph.sparql import Row, Rows

pd = pytest.importorskip("pandas")

HOSTILE = "<script>alert('x')</script>"
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}


class _Checker(HTMLParser):
    """Fails on a closing tag that does not match the open one; keeps the text and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.hrefs += [v or "" for k, v in attrs if k == "href"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def checked(html: str) -> str:
    """Parse ``html``; assert it is balanced, has no script and only http(s) links; its text."""
    parser = _Checker()
    parser.feed(html)
    parser.close()
    assert parser.stack == [], parser.stack
    assert parser.scripts == 0
    assert all(h.startswith(("https://", "http://")) for h in parser.hrefs), parser.hrefs
    return " ".join(" ".join(parser.text).split())


@pytest.fixture(scope="module")
def kg() -> gg.KnowledgeGraph:
    return gg.load()


def test_a_ranking_shows_the_figure_sd_study_n_and_load(kg):
    ranking = kg.exercises(target="gluteus medius", limit=8)
    html = ranking._repr_html_()
    text = checked(html)
    top = ranking[0].best
    assert top is not None and top.mean_mvic == Decimal("99.9")
    assert "side-lying hip abduction" in text and f"99.9 ± {jupyter.number(top.sd_mvic)}" in text
    assert "MacAskill et al., Int J Sports Phys Ther" in text and "10RM" in text
    for header in ("exercise", "kind", "%MVIC ± SD", "muscle", "study", "n", "load / population"):
        assert f">{header}</th>" in html.replace("&#x27;", "'")
    assert "21" in text  # Distefano 2009's n
    assert "not comparable" in text or "compare figures from different studies" in text
    # the study is a link to its paper where the graph has a DOI or URL
    assert re.search(r'<a href="https://[^"]+"[^>]*>MacAskill et al\.', html)


def test_every_answer_list_has_an_html_table(kg):
    answers = {
        "muscles": kg.muscles("hip abduction", role="prime mover"),
        "measurements": kg.measurements(exercise="side plank with hip abduction"),
        "pooled": kg.pooled_estimates(exercise="hip thrust"),
        "compare": kg.compare(["hip thrust", "back squat"], ["upper glutes", "lower glutes"]),
        "conditions": kg.conditions(symptom="lateral hip pain"),
        "treatments": kg.treatments("piriformis syndrome"),
        "cautions": kg.cautions("gluteal tendinopathy"),
        "progressions": kg.progressions("glute bridge"),
        "claims": kg.claims("corrected"),
        "studies": kg.studies(about="gluteus medius"),
        "similar": kg.similar("Bulgarian split squat"),
    }
    for name, answer in answers.items():
        assert answer, name
        text = checked(answer._repr_html_())
        assert "<table>" in answer._repr_html_(), name
        assert "Ref(" not in text and "iri=" not in text, name
    compare = checked(answers["compare"]._repr_html_())
    assert "86.8" in compare and "Contreras 2015" in compare and "n=13" in compare
    treatments = checked(answers["treatments"]._repr_html_())
    assert "evidence against" in treatments and "Misirlioglu 2015" in treatments
    plank = checked(answers["measurements"]._repr_html_())
    assert "dominant leg on top" in plank and "dominant leg on the bottom" in plank
    assert "103 (peak)" in plank


def test_every_entity_is_a_card_with_its_sources(kg):
    entities = [kg.muscle("gluteus medius"), kg.exercise("clamshell"),
                kg.condition("gluteal tendinopathy"), kg.treatment("shockwave therapy"),
                kg.test("FAIR test"), kg.study("Contreras 2015, J Appl Biomech"),
                kg.action("hip abduction"), kg.joint("hip joint"),
                kg.nerve("superior gluteal nerve"), kg.claims()[0]]
    for entity in entities:
        html = entity._repr_html_()
        text = checked(html)
        assert entity.label in text, entity.iri
        assert "Ref(" not in text and "Decimal(" not in text
        if entity.sources:
            assert "sources:" in text
    medius = checked(kg.muscle("gluteus medius")._repr_html_())
    assert "superior gluteal nerve" in medius and "hip abduction" in medius
    study = kg.study("Contreras 2015, J Appl Biomech")
    assert study.doi and "https://doi.org/" + study.doi in study._repr_html_()


def test_a_recommendation_shows_stages_left_out_notes_and_the_disclaimer(kg):
    plan = kg.recommend("gluteus medius", level="beginner", conditions=["gluteal tendinopathy"])
    text = checked(plan._repr_html_())
    assert "Stage 1" in text and plan.stages[0].steps[0].exercise.label in text
    assert f"Left out ({len(plan.excluded)})" in text
    assert plan.excluded[0].reason in text
    assert "not medical advice" in text
    assert "99.9" in text and "MacAskill" in text
    frame = plan.to_dataframe()
    assert len(frame) == len(plan.steps)
    assert pd.api.types.is_float_dtype(frame["mean_mvic"])


def test_sparql_rows_are_a_table_and_a_numeric_dataframe(kg):
    rows = kg.query("""
        SELECT ?muscle ?exercise ?mean WHERE {
          ?m a gg:ActivationMeasurement ; gg:muscle ?muscle ; gg:exercise/rdfs:label ?exercise ;
             gg:meanPercentMVIC ?mean .
        } ORDER BY DESC(?mean)""", muscle=gg.iri("kb:gluteus_medius"))
    text = checked(rows._repr_html_())
    assert "?exercise" in text and "222.9" in text and "kb:gluteus_medius" in text
    frame = rows.to_dataframe()
    assert frame["mean"].dtype == "float64"
    assert frame["mean"].max() == pytest.approx(222.9)
    gaps = kg.query("""SELECT ?m ?n WHERE { ?m a gg:ActivationMeasurement
                       OPTIONAL { ?m gg:sampleSize ?n } }""").to_dataframe()
    assert str(gaps["n"].dtype) == "Int64" and gaps["n"].isna().any()


def test_a_hostile_label_is_escaped_everywhere():
    bad = Ref(iri="https://example.org/x", label=HOSTILE)
    m = Measurement(iri="https://example.org/m", exercise=bad, muscle=bad, study=bad,
                    mean_mvic=Decimal("50"), load=HOSTILE, population=HOSTILE,
                    concerns=[HOSTILE])
    answers = [
        Results([RankedExercise(exercise=bad, target=bad, best=m, measurements=[m],
                                kind="measured")]),
        Results([m]),
        Results([Condition(iri="https://example.org/c", label=HOSTILE, involves=[bad])]),
        Muscle(iri="https://example.org/mu", label=HOSTILE, definition=HOSTILE,
               sources=[bad], notes=[HOSTILE], innervated_by=[bad]),
        Recommendation(target=bad, profile={HOSTILE: HOSTILE}, notes=[HOSTILE],
                       stages=[Stage(number=1, name=HOSTILE, steps=[
                           Step(exercise=bad, stage=1, evidence=HOSTILE, why=[HOSTILE],
                                best=m, modifications=[HOSTILE])])],
                       excluded=[Excluded(exercise=bad, reason=HOSTILE, sources=[bad])]),
        Rows(["x", HOSTILE], [Row((HOSTILE, Decimal(1)), ("x", HOSTILE))]),
    ]
    for answer in answers:
        html = answer._repr_html_()
        assert "<script" not in html, type(answer)
        assert "&lt;script&gt;" in html, type(answer)
        checked(html)


def test_only_web_links_are_links(monkeypatch):
    """A source whose URL is javascript: (say, from an added file) is shown as text."""
    store = ox.Store()
    gg_url = ox.NamedNode("https://w3id.org/glutegraph/ontology/url")
    for name, url in (("bad", "javascript:alert(1)"), ("good", "https://example.org/paper")):
        store.add(ox.Quad(ox.NamedNode(f"https://example.org/{name}"), gg_url, ox.Literal(url)))

    class Fake:
        pass

    fake = Fake()
    fake.store = store  # type: ignore[attr-defined]
    jupyter.remember_graph(fake)  # type: ignore[arg-type]
    try:
        html = Results([Measurement(iri="m", study=Ref(iri="https://example.org/bad", label="B"),
                                    mean_mvic=Decimal(1)),
                        Measurement(iri="n", study=Ref(iri="https://example.org/good", label="G"),
                                    mean_mvic=Decimal(2))])._repr_html_()
    finally:
        jupyter.remember_graph(gg.load())
    assert "javascript:" not in html
    assert 'href="https://example.org/paper"' in html
    checked(html)


def test_reprs_are_one_short_line(kg):
    plan = kg.recommend("gluteus medius", level="beginner")
    objects = [kg.exercises(target="gluteus medius"), kg.exercises(target="gluteus medius")[0],
               kg.compare(["hip thrust", "back squat"], ["upper glutes", "lower glutes"]),
               kg.compare(["hip thrust"], ["upper glutes"])[0],
               kg.muscle("gluteus medius"), kg.condition("gluteal tendinopathy"),
               kg.exercise("clamshell"), kg.treatments("piriformis syndrome"), plan,
               plan.steps[0], plan.stages[0], kg.similar("clamshell")[0], Results([])]
    for obj in objects:
        text = repr(obj)
        assert len(text) < 300 and "\n" not in text, text
        assert "Ref(" not in text and "iri=" not in text, text
    assert repr(kg.exercises(target="gluteus medius")).startswith(
        "<Results: 48 RankedExercise; first: side-lying hip abduction")


def test_short_reprs_leave_equality_and_json_alone(kg):
    muscle = kg.muscle("gluteus medius")
    assert Muscle.model_validate_json(muscle.model_dump_json()) == muscle
    study = kg.study("Contreras 2015, J Appl Biomech")
    assert Study.model_validate_json(study.model_dump_json()) == study
    assert repr(Ref(iri="urn:x", label="y")) == "Ref(iri='urn:x', label='y')"


def test_a_ranking_dataframe_is_tidy_and_numeric(kg):
    ranking = kg.exercises(target="gluteus medius")
    frame = ranking.to_dataframe()
    assert list(frame.columns)[:10] == ["exercise", "kind", "muscle", "mean_mvic", "sd_mvic",
                                        "peak_mvic", "n", "study", "load", "population"]
    assert len(frame) == len(ranking)
    for column in ("mean_mvic", "sd_mvic", "peak_mvic", "n"):
        assert pd.api.types.is_numeric_dtype(frame[column]), column
    top = frame.iloc[0]
    assert top["exercise"] == "side-lying hip abduction" and top["mean_mvic"] == pytest.approx(99.9)
    assert top["study"] == "MacAskill et al., Int J Sports Phys Ther"
    assert set(frame["kind"]) <= {"measured", "curated", "imported", "derived"}


def test_a_comparison_dataframe_has_one_row_per_measurement(kg):
    answer = kg.compare(["hip thrust", "back squat"], ["upper glutes", "lower glutes"])
    frame = answer.to_dataframe()
    assert len(frame) == sum(max(len(found), 1) for row in answer for found in row.cells.values())
    assert {"exercise", "structure", "mean_mvic", "n", "study"} <= set(frame.columns)
    assert pd.api.types.is_float_dtype(frame["mean_mvic"])
    assert pd.api.types.is_integer_dtype(frame["n"])
    lower = frame[(frame.exercise == "barbell hip thrust")
                  & (frame.structure == "lower gluteus maximus")]
    assert lower["mean_mvic"].tolist() == [pytest.approx(86.8)]


def test_other_answer_lists_have_numeric_figure_columns(kg):
    frame = kg.measurements(exercise="clamshell").to_dataframe()
    assert pd.api.types.is_float_dtype(frame["mean_mvic"])
    pooled = kg.pooled_estimates(exercise="hip thrust").to_dataframe()
    assert not any(isinstance(v, Decimal) for v in pooled.to_numpy().ravel())


def test_shape_violations_name_shapes_not_blank_nodes(kg, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix gg: <https://w3id.org/glutegraph/ontology/> .\n"
                   "<https://example.org/mystery> a gg:Exercise .\n")
    with pytest.raises(gg.ShapeViolationError) as caught:
        kg.add(bad)
    message = str(caught.value)
    assert "shape ggsh:ExerciseShape, gg:difficulty" in message
    assert not re.search(r"shape n[0-9a-f]{20,}", message), message


def test_curie_is_public():
    assert gg.curie("https://w3id.org/glutegraph/kb/piriformis") == "kb:piriformis"


def test_notebooks_name_only_real_functions_and_cut_no_text():
    import json
    from pathlib import Path

    for path in sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        for name in set(re.findall(r"\bgg\.([A-Za-z_]\w*)", text)):
            assert hasattr(gg, name), f"{path.name} names gg.{name}, which does not exist"
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert not re.search(r"(finding|text|correction|definition)\[:\d+\]", code), path.name


def test_a_slice_of_a_ranking_is_a_table_that_keeps_its_ranks(kg):
    ranking = kg.exercises(target="gluteus maximus")
    part = ranking[25:27]
    assert isinstance(part, Results) and len(part) == 2
    assert str(part).startswith("26. ") and "<td class=num>26</td>" in part._repr_html_()
    assert ranking[0] is ranking[:1][0]
