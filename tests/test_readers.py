"""Readers and decoding: every format, every encoding, and bad input that costs one record, not the run."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdesk import errors
from eventdesk.ingest.readers import Failure, RawDocument, decode, iter_inputs

TEXT = "Le ministre a déclaré « non » à Genève — 19 octobre."


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (TEXT.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None),
        (TEXT.encode("utf-16"), None),  # with BOM
        (TEXT.encode("utf-16-le"), None),  # without BOM: NUL pattern
        (TEXT.encode("cp1252"), "W102"),
    ],
)
def test_decode_encodings(data, warning):
    text, problems = decode(data, "x")
    assert text == TEXT
    assert [p.code for p in problems] == ([warning] if warning else [])


def test_decode_latin1_when_not_cp1252():
    data = "café".encode("latin-1") + b"\x81"  # 0x81 is undefined in cp1252
    text, problems = decode(data, "x")
    assert text == "café\x81"
    assert "latin-1" in problems[0].message


def test_damaged_utf8_is_replaced_with_a_warning():
    data = ("Ünïcödé têxt with ümläüts " * 3).encode("utf-8") + b"\xff broken"
    text, problems = decode(data, "x")
    assert "\ufffd broken" in text
    assert problems[0].code == "W101"


@pytest.mark.parametrize("data", [b"%PDF-1.4 ...", b"\x89PNG\r\n\x1a\n....", b"\x00\x01\x02\x03" * 100])
def test_binary_is_refused(data):
    with pytest.raises(errors.InputError) as exc:
        decode(data, "file.bin")
    assert exc.value.code == "E003"


@given(st.binary(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_decode_never_crashes(data):
    try:
        text, _ = decode(data, "x")
    except errors.InputError as exc:
        assert exc.code == "E003"
    else:
        assert isinstance(text, str)


def _items(tmp_path, *names):
    return list(iter_inputs([str(tmp_path / n) for n in names]))


def test_formats_and_directories(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text("A text article.")
    (tmp_path / "d" / "sub" / "b.md").write_text("# Title\n\nBody.")
    (tmp_path / "d" / "sub" / "c.html").write_text("<html><body><p>Hi</p></body></html>")
    (tmp_path / "d" / "image.png").write_bytes(b"\x89PNG....")
    (tmp_path / "d" / ".hidden.txt").write_text("secret")
    with gzip.open(tmp_path / "d" / "e.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"text": "Record one.", "title": "T", "id": "r1"}) + "\n")
    (tmp_path / "d" / "f.csv").write_text('id,title,text\nc1,Title,"Body, with comma."\n')
    items = _items(tmp_path, "d")
    assert [(type(i).__name__, getattr(i, "kind", None)) for i in items] == [
        ("RawDocument", "text"),
        ("RawDocument", "record"),
        ("RawDocument", "record"),
        ("RawDocument", "markdown"),
        ("RawDocument", "html"),
    ]
    record = items[1]
    assert isinstance(record, RawDocument)
    assert record.fields["id"] == "r1" and record.content == "Record one."
    assert items[2].fields["id"] == "c1" and items[2].content == "Body, with comma."  # type: ignore[union-attr]


def test_jsonl_bad_line_reports_its_number_and_keeps_the_rest(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"text": "one"}\n{broken\n\n{"title": "no text"}\n{"text": "four"}\n')
    items = _items(tmp_path, "x.jsonl")
    assert [type(i).__name__ for i in items] == ["RawDocument", "Failure", "Failure", "RawDocument"]
    bad = items[1]
    assert isinstance(bad, Failure)
    assert bad.source.endswith("x.jsonl:2") and bad.problem.code == "E004" and "line 2" in bad.problem.message
    assert items[2].problem.code == "E006"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "E002"),
        ("blank.txt", b"  \n\n ", "E002"),
        ("binary.txt", b"\x00\x01\x02" * 50, "E003"),
        ("doc.pdf", b"%PDF-1.5 binary", "E003"),
        ("bad.gz", b"not gzip at all", "E011"),
        ("nocol.csv", b"a,b\n1,2\n", "E009"),
    ],
)
def test_bad_files(tmp_path, name, content, code):
    (tmp_path / name).write_bytes(content)
    items = _items(tmp_path, name)
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert items[0].problem.code == code
    assert name in str(items[0])


def test_missing_path(tmp_path):
    (item,) = _items(tmp_path, "nope.txt")
    assert isinstance(item, Failure) and item.problem.code == "E001"


def test_too_large_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    (item,) = list(iter_inputs([str(big)], max_mb=10))
    assert isinstance(item, Failure) and item.problem.code == "E008" and "50.0 MB" in item.problem.message


def test_stdin_sniffs_jsonl_and_text():
    items = list(iter_inputs(["-"], stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [i.content for i in items] == ["a", "b"]  # type: ignore[union-attr]
    (item,) = list(iter_inputs(["-"], stdin=io.BytesIO(b"Plain text article.")))
    assert isinstance(item, RawDocument) and item.kind == "text" and item.source == "<stdin>"


def test_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        html = b"<html><body><article><p>Body text.</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example/2016/10/19/a", "response", payload=io.BytesIO(html), http_headers=headers
        )
        writer.write_record(record)
    (item,) = list(iter_inputs([str(path)]))
    assert isinstance(item, RawDocument) and item.kind == "html"
    assert item.fields["url"] == "https://news.example/2016/10/19/a" and "Body text." in item.content
