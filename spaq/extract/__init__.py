"""Extraction: a pure function from one document's text to facts with provenance.

    extract_document(Document) -> DocFacts

Nothing here reads files or touches the index, so documents can be
extracted in any order, in parallel, or elsewhere, and the results cached.
"""
from .document import DocFacts, DealFacts, extract_document

__all__ = ["DocFacts", "DealFacts", "extract_document"]
