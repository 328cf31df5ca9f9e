"""expert-opinions: who said what in news coverage, and how the experts compare.

Modules, lowest first; a module only imports modules listed before it
(``tests/test_layering.py`` enforces this):

errors, names, files, locks, console, spreadsheet, display, svgplot, htmlpage, schema, nesting, articles,
sessions, metadata, outputs, extract, speaker_model, speakers, people, requotes, quotes, statements,
curation, annotations, agreement, adjudication, sentiment, stance, positions, suggest, analysis, workbench,
narrative, evaluate, corpus_rows, corpus, dossier, compare, about, people_review, topic_queue,
coverage_review, review_cli, about_cli, viz, compare_figures, coverage_figures, report, stance_cli,
coverage_cli, compare_cli, cli
"""

__version__ = "0.2.0"
