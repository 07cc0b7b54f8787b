"""The shortcuts of reading a file give what the plain way gives."""
import codecs
import random

import pytest

from spaq import corpus


def _sample(rng: random.Random) -> str:
    """Characters from all over: controls, Latin-1, U+FFFD, lone surrogates, beyond the BMP."""
    pick = (lambda: rng.randint(0, 0x1ff), lambda: 0xfffd, lambda: rng.randint(0xd800, 0xdfff),
            lambda: rng.randint(0x80, 0x9f), lambda: rng.randint(0, 0x10ffff))
    return "".join(chr(rng.choice(pick)()) for _ in range(rng.randint(0, 60)))


def test_control_characters_are_counted_as_the_pattern_finds_them():
    rng = random.Random(6)
    for _ in range(3000):
        sample = _sample(rng)
        assert corpus._not_text(sample) == len(corpus._NOT_TEXT.findall(sample)), ascii(sample)


@pytest.mark.parametrize("data", [b"abc", b"\xef\xbb\xbfabc", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbfx",
                                  b"caf\xc3\xa9 ok", b"ab\xe9 cp1252", b"\xef\xbb", b"\xef", b"ab"])
def test_a_whole_file_decodes_as_the_incremental_decoder_decodes_it(data):
    try:
        expected = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=True)
    except UnicodeDecodeError:
        expected = data.decode("cp1252")
    text, _ = corpus.decode(data)
    assert text == expected
