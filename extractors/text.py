"""Reading files into text, and the offset-preserving normalisation every later step sees.

Offsets in the graph (measure spans, relationship evidence) are offsets into the text
returned by `read_text`, so normalisation never changes the length of the text: tags
become spaces of the same width, odd spaces become plain ones.
"""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import InputError

#: File suffixes read as plain text; other formats have readers of their own.
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".html", ".htm", ".docx", ".pdf"}

_TAG = re.compile(r"</?p\s*>", re.IGNORECASE)
_ODD_SPACE = re.compile("[\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\r\x0b\x0c]")


@dataclass(frozen=True)
class SourceText:
    """A document's text as extraction sees it, with where it came from."""

    file: str          # file name, as the export's Document.file / Measure.document
    path: str          # full path, for messages
    text: str          # normalised text; offsets refer to it
    sha256: str        # of the raw bytes
    encoding: str
    #: page-level metadata a reader found outside the text (a web page's ArticleTitle,
    #: <title>, 信息公开 labels: title, doc_number, issuer, date …); empty for plain text
    hints: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def decode(raw: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or GB18030; refuse binary data."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace").lstrip("\ufeff")
        if not text.strip():
            raise InputError(path, "the file is empty")
        return text, "utf-16"
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    if not raw.strip():
        raise InputError(path, "the file is empty")
    if b"\x00" in raw[:4096]:
        raise InputError(path, "binary data, not a text document")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            # A file cut short mid-character (an interrupted download) is still in that
            # encoding: only its last bytes fail.
            if exc.start >= len(raw) - 4 and exc.start > 0:
                return raw[:exc.start].decode(encoding), encoding
    from charset_normalizer import from_bytes  # slow path: only for odd encodings

    best = from_bytes(raw[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError(path, "cannot detect the text encoding (not UTF-8 or GB18030)")
    try:
        return raw.decode(best.encoding, errors="replace"), best.encoding
    except LookupError:
        raise InputError(path, f"cannot decode as {best.encoding}") from None


def normalise(text: str) -> str:
    """Same-length clean-up: <p> tags and odd spaces become plain spaces."""
    text = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    return _ODD_SPACE.sub(" ", text)


def read_source(path: Path | str) -> SourceText:
    """Read one document file into normalised text; InputError names the file and cause."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    hints: dict[str, str] = {}
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode(raw, path)
    else:
        from policykg.extractors import formats  # optional readers, imported on demand

        text, encoding, hints = formats.read_document(raw, suffix, path)
    return SourceText(file=path.name, path=str(path), text=normalise(text),
                      sha256=hashlib.sha256(raw).hexdigest(), encoding=encoding, hints=hints)


def iter_files(paths) -> list[Path]:
    """Expand files and folders (recursively) into the document files they hold, sorted."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.rglob("*")
                          if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                          and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out
