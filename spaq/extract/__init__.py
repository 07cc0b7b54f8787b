"""Extraction: a pure function from one document's text to facts with provenance.

    extract_document(Document) -> DocFacts

Nothing here reads files or touches the index, so documents can be
extracted in any order, in parallel, or elsewhere, and the results cached.
The recognisers are imported on first use: reading a cached index needs only
the fact classes.
"""
from .facts import Bag, DealFacts, DocFacts

__all__ = ["Bag", "DocFacts", "DealFacts", "extract_document"]


def __getattr__(name: str):
    if name == "extract_document":
        from .document import extract_document
        globals()[name] = extract_document      # found directly from now on
        return extract_document
    raise AttributeError(f"module 'spaq.extract' has no attribute {name!r}")
