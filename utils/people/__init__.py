"""The people registry: one id per person across a coverage, and what people decide about it.

Modules, lowest first; a module only imports modules listed before it
(``tests/test_layering.py`` enforces this):

data, names, roles, cluster, decisions, identify, registry, apply
"""
