"""expert-opinions: who said what in news coverage, and how the experts compare.

Modules, lowest first; a module only imports modules listed before it
(``tests/test_layering.py`` enforces this):

errors, files, spreadsheet, display, svgplot, schema, nesting, articles, metadata, outputs, extract,
speakers, people, requotes, quotes, curation, annotations, agreement, sentiment, stance, suggest, analysis,
workbench, review_cli, narrative, evaluate, corpus, dossier, viz, report, stance_cli, cli
"""

__version__ = "0.2.0"
