"""Decoding the facts of a pack's line (spaq.cache._facts_of, _Decoder): what is not a
whole JSON document is an error the pack treats as a bad line, never half a result."""
from __future__ import annotations

import pytest

from spaq.cache import _decoder


@pytest.mark.parametrize("text", ["[1", "[1] ", " [1]", "[1]x", "", "x", "[1][2]"])
def test_anything_but_one_json_document_is_refused(text):
    with pytest.raises(ValueError):
        _decoder().json(text)


def test_one_json_document_is_read_as_json_loads_reads_it():
    import json
    text = '[{"a":[1,2.5,true,null,"\\u00e9\\t"],"b":{}},-0.0,1e400,NaN]'
    assert repr(_decoder().json(text)) == repr(json.loads(text))
