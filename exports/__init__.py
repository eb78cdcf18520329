"""Read side: quotes and invoices as frozen documents, laid out as cells, written as workbooks.

``documents`` loads, ``layout`` places (pure), ``xlsx`` is the one module that talks to
openpyxl; ``report`` summarises the pipeline. See ``exports.errors`` for what can go wrong.
"""
