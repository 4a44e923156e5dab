"""A briefing memo across many summaries, read one at a time: its content (checked figures
only) counted and exemplified by theme, rendered as Markdown or Word, and the model's synthesis
paragraph, each sentence traced to what the reports said, replayed or recorded.

May import: every stage up to and including batch.
"""
