"""Pictures that look like the body: the hip muscles drawn as shapes, shaded by the graph's figures.

- :mod:`glutegraph.pictures.shapes`: the outlines (bones as landmarks, each muscle a shape).
- :mod:`glutegraph.pictures.anatomy`: :func:`~glutegraph.pictures.anatomy.anatomy_figure`,
  the posterior and lateral views shaded by %MVIC for one exercise or two side by side.

Example:
    >>> import glutegraph as gg
    >>> fig = gg.anatomy_figure(gg.load(), "hip thrust", view="posterior")
    >>> fig.axes[0].get_label()
    'posterior: barbell hip thrust'

"""
