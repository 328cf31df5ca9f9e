"""Word classes the rule stages share (reporting verbs by class, function words), loaded once.

Each name is a view on ``utils/lexicons/`` (see :mod:`utils.extract.lexicon`); keeping the views
in one module means every stage tests membership against the same set object.
"""

from __future__ import annotations

from utils.extract.lexicon import abbreviations, lemma_forms, particles, tagged, verb_forms, word_set, words

# --- lexicons ---------------------------------------------------------------------------------


# --- determiners (determiners.tsv): one table, classes as tags; the README says which rule reads which

#: Articles, demonstratives and possessives: a noun phrase starts after one.
DETERMINERS = tagged("determiners")
ARTICLES = tagged("determiners", "article")
POSSESSIVES = tagged("determiners", "possessive")
#: Articles and demonstratives: possessives left out, because "her friend" is not "a friend".
ARTICLES_DEMONSTRATIVES = tagged("determiners", "article", "demonstrative")
#: The openers of a definite description that refers back ("the official", "that official").
DEFINITE = tagged("determiners", "definite")
#: Determiners and the prepositions tagged "before-noun": the next word starts a noun phrase, not a verb.
DETERMINER_LIKE = DETERMINERS | tagged("prepositions", "before-noun")

# --- verbs (verbs.tsv) ------------------------------------------------------------------------

#: Verbs whose complement is a content clause; these make paraphrase rows.
SAY_VERBS = verb_forms("speech")

#: Verbs of shouting and singing: they attribute quotations but never make paraphrase rows.
QUOTE_ONLY_VERBS = verb_forms("quote-only")

#: Verbs that take an object before the clause ("told reporters that ...").
OBJECT_VERBS = verb_forms("object")

#: Verbs that license a quoted fragment in their complement but make no paraphrase row.
LABEL_VERBS = verb_forms("label")

#: Weak verbs: they often take a plain noun phrase ("reported a loss"), so they need "that" or a
#: clause-looking complement before a paraphrase row is made.
WEAK_VERBS = verb_forms("weak")

#: Verbs that can report a preceding clause without quotation marks ("…, officials said").
TRAILING_VERBS = verb_forms("trailing")

#: Noun-like forms that are only cues when "that" follows ("fears that ...").
NOUNISH = verb_forms("nounish")
#: Ask-verbs report a question: a row only for "asked whether/if/why/how/what ...".
ASK_VERBS = verb_forms("ask")

#: Verbs whose complement starts right after the verb ("accused X of Y", "urged X to Y").
DIRECTIVE_VERBS = verb_forms("directive")

#: Label verbs that are cues only with "as" in the next words ("sees the deal as a win").
AS_VERBS = verb_forms("as")

#: Phrasal verbs by form: the particle each needs right after it ("pointed out", "weighed in").
PARTICLES = particles()

#: Listeners printed with the cue ("told reporters").
PRINTED_LISTENERS = tagged("listeners", "printed")

#: The forms of "call": "called on Yoon to resign" is a directive, "called it a disgrace" a label.
CALL_FORMS = lemma_forms("call")

PARTICIPLES = frozenset(w for w in SAY_VERBS | LABEL_VERBS if w.endswith("ing"))

#: Adjectives that make "are adamant that ..." a stance report.
STANCE_ADJECTIVES = words("stance-adjectives")
#: "are of the view that", "is of the opinion that": a stance with a content clause.
STANCE_NOUNS = words("stance-nouns")

#: Verbs of commitment whose infinitive is the statement ("vowed to keep trying").
COMMISSIVE_VERBS = verb_forms("commissive")
#: Verbs whose gerund complement is the statement ("denied being unfair", "admitted taking").
GERUND_VERBS = verb_forms("gerund")
ING_NOUNS = words("ing-nouns")

BE = words("be")
AUX = words("aux")
ADVERBS = words("adverbs")
#: Common irregular past tenses: after a name they are verbs, so a noun phrase stops there.
IRREGULAR_PAST = words("irregular-past")
TIME_WORDS = tagged("calendar")
TIME_INTRO = words("time-intro")
CLAUSE_STOP = words("clause-stop")
PREPOSITIONS = tagged("prepositions")
SUBJECT_PRONOUNS = words("subject-pronouns")
#: Pronouns that open a clause as its subject ("but that he …", "in a statement they …"): the
#: subject pronouns without the demonstratives.
CLAUSE_SUBJECTS = SUBJECT_PRONOUNS - tagged("determiners", "demonstrative")
#: "who", "which", "that" and "whose" after a noun open a relative clause.
RELATIVE_WORDS = word_set("relative-words")
#: Conjunctions and adverbs a clause may open with before its subject ("But", "And then").
LEADING_CONJUNCTIONS = word_set("leading-conjunctions")
#: The words of an indirect question after an asking verb ("asked whether …", "asked why …").
QUESTION_WORDS = word_set("question-words")
#: Words that open a two-word time phrase ("last week", "on Monday", "in March").
TIME_OPENERS = word_set("time-openers")
#: Endings of words in -s that are no plural and no verb ("boss", "status", "analysis", "politics").
SINGULAR_S_ENDINGS = tuple(sorted(word_set("singular-s-endings")))
FINITE_HINTS = BE | AUX | words("negative-contractions")
INTRO_WORDS = words("intro-words")
ABBREVIATIONS = abbreviations("sentence")
SENTENCE_STARTERS = words("sentence-starters")


#: Lower-case words in -ly that are not adverbs ("the family said", "a US ally warned").
LY_NOUNS = words("ly-nouns")


CLAUSE_OPENERS = words("clause-openers")


COORD = words("coord")
#: Conjunctions that open a subordinate clause ("Although X suggested Y, Z said W").
SUBORDINATORS = words("subordinators")
REFUSALS = words("refusals")
CONTROL_VERBS = words("control-verbs")
INFINITIVE_CUES = verb_forms("infinitival")
NON_CONTENT = words("non-content")
