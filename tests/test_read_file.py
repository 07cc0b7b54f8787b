"""read_file asks for a file's size at once: the limit, a file that grows and one whose size lies."""
import os

import pytest

from spaq import corpus


@pytest.mark.parametrize("size, truncated", [(999, False), (1000, False), (1001, True), (5000, True)])
def test_the_limit_is_told_at_its_byte(tmp_path, monkeypatch, size, truncated):
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1000)
    (tmp_path / "a.txt").write_bytes(b"x" * size)
    read = corpus.read_file(tmp_path / "a.txt")
    assert read.data == b"x" * min(size, 1000) and read.truncated is truncated and read.size == size


def test_a_file_that_grows_after_its_size_is_taken_is_read_on(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * 10)
    real_fstat = os.fstat

    def fstat_then_grow(fd):
        st = real_fstat(fd)
        with open(path, "ab") as f:
            f.write(b"b" * 3000)
        return st

    monkeypatch.setattr(corpus.os, "fstat", fstat_then_grow)
    read = corpus.read_file(path)
    assert read.data == b"a" * 10 + b"b" * 3000 and not read.truncated


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc")
def test_a_regular_file_whose_size_says_nothing_is_read_whole():
    read = corpus.read_file("/proc/self/status")     # st_size 0, yet it holds text
    assert read.size == 0 and b"Name:" in read.data and not read.truncated
