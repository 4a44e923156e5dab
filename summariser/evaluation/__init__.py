"""Scoring against golden summaries: the splits and cases as data, the engines run or
replayed, pure scorers, metrics, gates, the report; and the structure corpus.

May import: every stage up to and including memo.
"""
