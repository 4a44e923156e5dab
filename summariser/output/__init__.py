"""What a run writes and how it is read back: atomic files, the summary JSON, the Markdown
view, index.csv, the review pages, the Excel workbook, and run folders loaded again (``runs``).

May import: every stage up to and including the pipeline.
"""
