"""Report pages for the web: one self-contained HTML page per lineage (figures inlined as SVG,
no script, nothing fetched when viewed) and, for a working group, an index page.

:func:`draftscope.report.build.build_report` / ``build_group_report`` gather and draw;
:mod:`draftscope.report.html` writes the HTML (pure); :mod:`draftscope.report.svg` makes a
figure's SVG fit to inline.
"""
