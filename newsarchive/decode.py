"""Turn raw bytes into text, whatever encoding the OCR tool wrote.

Order matters: a BOM is proof; strict UTF-8 almost never decodes text in
another encoding by accident; GB18030 and Big5 both accept many byte
strings, so between them we let charset-normalizer judge.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str  # normalised text
    encoding: str  # what it was decoded with


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; form feeds and Unicode line separators too."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\f", "\n\n")


# Unicode category Cc (C0, DEL, C1) without tab, newline, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """Text with many control characters is an image or archive, not OCR output."""
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROLS.findall(sample)) / len(sample) > 0.01


def _control_bytes(data: bytes) -> float:
    """Share of C0 control bytes other than newline and tab: text has none."""
    sample = data[:20000]
    return sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13)) / max(1, len(sample))


def _plausible_text(text: str) -> float:
    """Share of characters that Chinese OCR text is made of: CJK, ASCII, punctuation."""
    sample = text[:5000]
    good = sum(
        1
        for ch in sample
        if ch in "\r\n\t"
        or " " <= ch <= "~"
        or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f"
    )
    return good / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: accept the byte order whose text looks like Chinese text."""
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible_text(text) > 0.95:
            return text, codec
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode a raw page; raise DecodeError when it is empty, binary or unreadable."""
    if not data.strip():
        raise DecodeError("empty file")
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise DecodeError(f"has a {codec} byte-order mark but does not decode") from exc
            break
    if text is None:
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("utf-8"), "utf-8"
    if text is None and (wide := _utf16_without_bom(data)) is not None:
        text, encoding = wide
    if text is None:
        if _control_bytes(data) > 0.01:
            raise DecodeError("looks like a binary file, not text")
        text, encoding = _decode_legacy(data)
    text = text.lstrip("\ufeff")
    encoding = codecs.lookup(encoding).name
    if _looks_binary(text):
        raise DecodeError("looks like a binary file, not text")
    return Decoded(normalise_newlines(text), encoding)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Chinese legacy encodings: GB18030 (a superset of GBK/GB2312) or Big5."""
    candidates = []
    for codec in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(codec), codec))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
        chosen = best.encoding.replace("_", "-") if best else "gb18030"
        for text, codec in candidates:
            if codec == chosen:
                return text, codec
        return candidates[0]
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("undecodable bytes: not UTF-8, UTF-16, GB18030 or Big5")
    return str(best), best.encoding
