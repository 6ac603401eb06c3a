"""Caches that make a fresh process fast; each is checked before use and rebuilt when wrong.

:mod:`glutegraph.cache.bundled` keeps the bundled graph, with what its rules derive, as one
N-Quads file in the user's cache folder, so that a new process loads it instead of parsing the
Turtle sources and running the rules again.

Example:
    >>> from glutegraph.cache import bundled_store
    >>> len(bundled_store()) > 4000
    True

"""

from __future__ import annotations

from glutegraph.cache.bundled import CACHE_ENV, bundled_store, cache_folder, cache_path

__all__ = ["CACHE_ENV", "bundled_store", "cache_folder", "cache_path"]
