"""expert-opinions: who said what in news coverage, and how the experts compare.

Modules, lowest first; a module only imports modules listed before it
(``tests/test_layering.py`` enforces this):

errors, names, files, locks, console, spreadsheet, display, svgplot, schema, nesting, articles, metadata,
outputs, extract, speaker_model, speakers, people, quotes, statements, curation, annotations, agreement,
sentiment, stance, suggest, analysis, workbench, review_cli, narrative, evaluate, corpus, dossier, about,
about_cli, viz, report, stance_cli, cli
"""

__version__ = "0.2.0"
