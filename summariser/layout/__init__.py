"""The text read once: logical lines with their kind (heading, enumeration, paragraph,
signature, chrome) and level, and how the headings nest.

``lines.read_layout`` is the one pass every later stage reads (metadata, parts and segments,
truncation, document kind); ``headings`` turns heading lines into nested nodes.

May import: the foundation, lexicon and reading.
"""
