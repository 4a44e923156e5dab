"""Reading files: bytes in, one text out (txt/md, docx, pdf, html), spans kept as characters.

Which files to read in a folder (``inputs``), decoding and format readers (``documents``), a saved
web page's article (``web_pages``), page chrome as patterns (``chrome``), a PDF's wrapped lines
joined back (``wrapping``). Every later stage sees only the text and character offsets into it.

May import: the foundation and lexicon.
"""
