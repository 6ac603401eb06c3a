"""Other SPARQL engines than Oxigraph, started from Python for tests, benchmarks and trials.

glutegraph's remote backend (:func:`glutegraph.connect`, :func:`glutegraph.upload`) speaks
only the SPARQL 1.1 protocols, so it runs on any engine; the engines here are the ones it is
tested against besides Oxigraph (:mod:`glutegraph.server`).

- :mod:`glutegraph.engines.virtuoso`: OpenLink Virtuoso Open Source (Debian's
  ``virtuoso-opensource`` package), a scratch database on loopback.

Example:
    >>> from glutegraph.engines.virtuoso import VirtuosoServer
    >>> VirtuosoServer().query_url.endswith("/sparql")
    True

"""
