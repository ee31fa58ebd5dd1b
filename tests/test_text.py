from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.extractors.text import decode, iter_files, normalise, read_source

from conftest import CORPUS, seed


def test_text_normalise_keeps_offsets():
    raw = seed("002").read_text(encoding="utf-8")
    assert "<p>" in raw
    clean = normalise(raw)
    assert len(clean) == len(raw) and "<p>" not in clean
    i = raw.index("推进船舶联合登临检查")
    assert clean[i:i + 10] == "推进船舶联合登临检查"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_decode_detects_encoding(tmp_path, encoding):
    original = seed("004").read_text(encoding="utf-8")
    path = tmp_path / "doc.txt"
    path.write_bytes(original.encode(encoding))
    assert read_source(path).text == normalise(original)


def test_text_read_names_file_and_cause(tmp_path):
    empty = tmp_path / "空 文件.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as exc:
        read_source(empty)
    assert "空 文件.txt" in str(exc.value) and "empty" in str(exc.value)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(InputError, match="binary"):
        read_source(binary)
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")


def test_text_iter_files_expands_folders():
    files = iter_files([CORPUS])
    assert [f.name[:3] for f in files] == ["000", "001", "002", "003", "004"]


def test_text_decode_refuses_binary():
    with pytest.raises(InputError):
        decode(b"\x00\x01\x02", Path("x.txt"))
