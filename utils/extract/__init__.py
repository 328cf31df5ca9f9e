"""The statement extractor as a package of stages (cue, source and content resolution, coreference).

Modules, lowest first; a module only imports modules listed before it, and only top-level
``utils`` modules listed before ``extract`` (``tests/test_layering.py`` enforces this):

lexicon, vocab, records, marks, text, names, mentions, coreference, phrases, cues, complements,
sources, contents, state, output, discourse, attribution, pipeline
"""
