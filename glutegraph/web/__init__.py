"""A read-only web API over the knowledge graph (FastAPI), with compact JSON-LD.

Needs the ``api`` extra (``pip install 'glutegraph[api]'``): FastAPI and uvicorn. Start it with
``glutegraph api``, or build the ASGI app yourself with :func:`create_app`::

    import glutegraph as gg
    from glutegraph.web import create_app
    app = create_app(gg.load())        # then: uvicorn.run(app, host="127.0.0.1", port=8000)

``import glutegraph`` never loads this package: only ``glutegraph api`` and your own import do.
"""

from glutegraph.web.app import create_app

__all__ = ["create_app"]
