"""The statement extractor as a package of stages, in the way of BBC's Citron: cue classification,
source resolution, content resolution and coreference are separate modules.

An article goes through ``pipeline`` (paragraphs in order, failures isolated to their paragraph):
``text`` and ``marks`` cut it into paragraphs, quotations, sentences and tokens; per sentence,
``attribution`` finds the cues (``cues``), the speaker phrase of each (``sources``, on the noun
phrases of ``phrases``) and the span each reports (``complements``, ``contents``), resolves the
speaker through the ``coreference`` book (``SpeakerBook``: the ``memory`` of who was met where,
plus the resolution steps, on ``names``, ``mentions`` and ``descriptions``) and emits rows
(``output``); ``discourse`` handles what needs more than one sentence (continuations, lists,
subheads). Every row carries the ``rule`` that produced it (its names are declared in ``rules``).
At the article's end ``chooser`` weighs each row's candidate speakers (the rules' choice and the
people, organisations and groups named or resolved near it) with a small trained model
(``chooser.json``) and keeps the most probable one; ``rowcheck`` turns its probability, with the
row's own features, into the row's ``confidence`` (``rowcheck.json``). ``lexicon`` reads the word
lists of ``utils/lexicons/``; ``vocab`` holds the word classes several stages share; ``records``
and ``state`` are the plain dataclasses passed on. The stable entry points are the facades
:mod:`utils.quotes` and :mod:`utils.speakers`.

Modules, lowest first; a module only imports modules listed before it, and only top-level
``utils`` modules listed before ``extract`` (``tests/test_layering.py`` enforces this):

lexicon, vocab, rules, records, marks, text, names, mentions, descriptions, memory, coreference,
phrases, complements, cues, sources, contents, state, output, discourse, attribution, rowcheck,
chooser, pipeline
"""
