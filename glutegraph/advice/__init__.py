"""Answers a coach can act on: staged recommendations and similar exercises, with reasons.

- :func:`~glutegraph.advice.recommend.recommend` (``kg.recommend``): which exercises for a
  target and a person, in what order, each with the path from the target and its evidence;
- :func:`~glutegraph.advice.similar.similar` (``kg.similar``): exercises like another, with
  what they share, how they differ and which way is harder.

Both summarise the evidence the graph holds; neither is medical advice, and a recommendation
says so.
"""

from glutegraph.advice.models import Excluded, Recommendation, SimilarExercise, Stage, Step

__all__ = ["Excluded", "Recommendation", "SimilarExercise", "Stage", "Step"]
