"""Decoding raw bytes in the encodings OCR tools write."""

import codecs

import pytest

from newsarchive.decode import DecodeError, decode_bytes

TEXT = "山西明年煤炭重点合同开始签订\r\n\r\n記者 岳霞紅：合同數量應達到80%以上。\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_and_normalises_newlines(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == TEXT.replace("\r\n", "\n")


def test_big5_traditional_text() -> None:
    text = "政府工作報告：加強基層醫療衛生服務，提高養老金標準。" * 4
    decoded = decode_bytes(text.encode("big5"))
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\n ", "empty"), (bytes(range(256)) * 40, "binary")],
    ids=["empty", "blank", "binary"],
)
def test_rejects_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)
