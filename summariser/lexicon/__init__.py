"""What the words and marks of a report mean, as tables and scanners every stage reads.

Numerals (``二〇二四``, ``三万余``), heading markers (``一、``, ``（一）``, ``一是``), dates and
years as written, the one sentence splitter, the statutory parts' names (``part_names.yaml``),
work areas (themes), and issuer names with the national table of administrative divisions. No
stage of its own: no text is read here, only words are recognised.

May import: the foundation (``errors``, ``config``, ``schema``) and each other.
"""
