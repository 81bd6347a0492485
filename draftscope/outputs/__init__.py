"""The output stage: every file draftscope writes, and the one registry of their formats.

- :mod:`~draftscope.outputs.formats`: the registry (pygments' formatters are the model): each
  format (png, svg, pdf, mermaid, csv, json, markdown, table) defined once, with its extension,
  what it can hold and how it is written; ``parse_image_formats`` checks a user's list against it.
- :mod:`~draftscope.outputs.figures`: the one place a matplotlib figure is saved (atomically,
  reproducibly: no dates inside, fixed SVG ids, a font fallback list in SVG text).
- :mod:`~draftscope.outputs.records`: records as CSV / JSON / an aligned text table, Markdown
  and any text, to stdout, a stream or atomically to a path.
- :mod:`~draftscope.outputs.layout`: a definition's fields as rows of bits (pure, no
  matplotlib): what the matplotlib drawing, the Mermaid writer and the JSON records all use.
- :mod:`~draftscope.outputs.mermaid`: a drawing as Mermaid ``packet-beta`` text.

Below plots (which draw the figures and call the savers here) and above tables. Nothing here
imports matplotlib, pandas or lxml at import time; atomic writes come from
:mod:`draftscope.files`.
"""
