"""Readers: paths, directories, archives and stdin -> a stream of `RawDocument`s or `Failure`s.

Owns decoding (BOMs, UTF-16, cp1252/Latin-1 fallback, binary detection) and file formats. It does not clean
or interpret text (clean.py, metadata.py) and never stops the stream for one bad input: each failure is
yielded in place with the input's name and the reason.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal, cast

from eventdesk import errors
from eventdesk.model import Problem

Kind = Literal["text", "markdown", "html", "record"]

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
WARC_SUFFIXES = {".warc"}
SUPPORTED = set(TEXT_SUFFIXES) | HTML_SUFFIXES | RECORD_SUFFIXES | WARC_SUFFIXES
DEFAULT_MAX_MB = 10.0
RECORD_FIELDS = ("id", "title", "published", "outlet", "url")

# Magic numbers of formats people drop into news folders by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive or Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}


@dataclass(slots=True)
class RawDocument:
    """One article's raw content and what its container said about it."""

    source: str  # for messages: "path", "path:12" (line), "path#3" (WARC record) or "<stdin>"
    source_path: str | None
    kind: Kind
    content: str
    fields: dict[str, str | None] = field(default_factory=dict)  # id, title, published, outlet, url
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Failure:
    """An input that produced no article, in stream order."""

    source: str
    problem: Problem

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


Item = RawDocument | Failure


# --- decoding ---------------------------------------------------------------------------------------


def decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Bytes -> text. BOMs first, then strict UTF-8, then cp1252/Latin-1; never raises for text input.

    Raises InputError (E003) for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(data, "utf-16")
    head = data[:8192]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise errors.InputError(source, "E003", detail=f"looks like {what}")
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16:
            text, problems = _decode_as(data, utf16)
            sample = text[:4096]
            if sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f") <= 0.05 * len(sample):
                return text, problems
        raise errors.InputError(source, "E003", detail="contains NUL bytes")
    controls = sum(1 for b in head if b < 9 or (13 < b < 32 and b != 27))
    if head and controls / len(head) > 0.05:
        raise errors.InputError(source, "E003", detail=f"{controls} control bytes in the first {len(head)}")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    # Mostly-valid UTF-8 with a few broken sequences is damaged UTF-8, not a legacy encoding.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    if multibyte >= 3 * bad:
        return text, [errors.problem("W101", count=bad, encoding="utf-8")]
    try:
        return data.decode("cp1252"), [errors.problem("W102", encoding="cp1252")]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [errors.problem("W102", encoding="latin-1")]


def _decode_as(data: bytes, encoding: str) -> tuple[str, list[Problem]]:
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return text, [errors.problem("W101", count=text.count("\ufffd"), encoding=encoding)]


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs in every other byte (for Latin-script text)."""
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = max(len(head) // 2, 1)
    if odd / half > 0.3 and even / half < 0.05:
        return "utf-16-le"
    if even / half > 0.3 and odd / half < 0.05:
        return "utf-16-be"
    return None


# --- formats ----------------------------------------------------------------------------------------


def _suffixes(name: str) -> tuple[str, bool]:
    """The format suffix of a file name and whether it is gzipped ("a.jsonl.gz" -> (".jsonl", True))."""
    p = Path(name.lower())
    if p.suffix == ".gz":
        return Path(p.stem).suffix, True
    return p.suffix, False


def sniff(text: str) -> Kind | Literal["jsonl"]:
    """The kind of a document from its first characters (stdin, unknown suffixes)."""
    head = text.lstrip()[:1000].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head:
        return "html"
    return "text"


def read_text_document(data: bytes, source: str, source_path: str | None, suffix: str) -> Iterator[Item]:
    """A whole-file document (.txt, .md, .html) or, for stdin, whatever it sniffs as."""
    try:
        text, problems = decode(data, source)
    except errors.InputError as exc:
        yield Failure(source, exc.problem)
        return
    if not text.strip():
        yield Failure(source, errors.problem("E002"))
        return
    if suffix in HTML_SUFFIXES:
        kind: Kind = "html"
    elif suffix in TEXT_SUFFIXES:
        kind = "markdown" if TEXT_SUFFIXES[suffix] == "markdown" else "text"
    else:
        sniffed = sniff(text)
        if sniffed == "jsonl":
            yield from read_jsonl(io.StringIO(text), source, source_path)
            return
        kind = sniffed
    yield RawDocument(source, source_path, kind, text, {}, problems)


def _record(obj: object, where: str, source_path: str | None, line: int) -> Item:
    if not isinstance(obj, dict):
        return Failure(where, errors.problem("E004", line=line, detail="a record must be a JSON object"))
    text = obj.get("text")
    html = obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        return Failure(where, errors.problem("E006", line=line))
    fields = {k: (None if obj.get(k) in (None, "") else str(obj[k])) for k in RECORD_FIELDS}
    if isinstance(text, str) and text.strip():
        return RawDocument(where, source_path, "record", text, fields)
    return RawDocument(where, source_path, "html", str(html), fields)


def read_jsonl(stream: Iterable[str], source: str, source_path: str | None) -> Iterator[Item]:
    """One record per line; a bad line costs that line (reported with its number), never the file."""
    seen_any = False
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{source}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(where, errors.problem("E004", line=n, detail=exc.msg))
            continue
        yield _record(obj, where, source_path, n)
    if not seen_any:
        yield Failure(source, errors.problem("E002"))


def read_csv(stream: Iterable[str], source: str, source_path: str | None) -> Iterator[Item]:
    csv.field_size_limit(64 * 1024 * 1024)
    reader = csv.DictReader(stream)
    try:
        columns = reader.fieldnames
    except csv.Error as exc:
        yield Failure(source, errors.problem("E007", detail=f"CSV: {exc}"))
        return
    if not columns:
        yield Failure(source, errors.problem("E002"))
        return
    if "text" not in columns and "html" not in columns:
        yield Failure(source, errors.problem("E009", columns=", ".join(columns[:10])))
        return
    row_no = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Failure(f"{source}:{reader.line_num}", errors.problem("E007", detail=f"CSV: {exc}"))
            return
        row_no += 1
        yield _record(row, f"{source}:{reader.line_num}", source_path, row_no)


def read_warc(stream: BinaryIO, source: str, source_path: str | None) -> Iterator[Item]:
    """HTML responses of a WARC file; WARC-Date is the crawl time, so it is never taken as publication date."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            n += 1
            where = f"{source}#{n}"
            ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
            if "html" not in ctype.lower():
                continue
            data = record.content_stream().read()
            try:
                html, problems = decode(data, where)
            except errors.InputError as exc:
                yield Failure(where, exc.problem)
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield RawDocument(where, source_path, "html", html, {"url": url}, problems)
    except Exception as exc:  # warcio raises assorted errors on truncated archives
        yield Failure(source, errors.problem("E011", detail=f"{type(exc).__name__}: {exc}"))


def _text_stream(raw: BinaryIO, source: str) -> Iterator[str]:
    """Lines of a record file, decoded with the same rules as whole documents, one chunk at a time."""
    first = raw.read(65536)
    try:
        _, problems = decode(first, source)
    except errors.InputError:
        raise
    encoding = "utf-8"
    if first.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif first.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif problems and problems[0].code == "W102":
        encoding = "cp1252" if "cp1252" in problems[0].message else "latin-1"
    rest = io.BufferedReader(cast(io.RawIOBase, _Chain(first, raw)))
    yield from io.TextIOWrapper(rest, encoding=encoding, errors="replace", newline="")


class _Chain(io.RawIOBase):
    """A readable stream of `first` followed by the rest of `raw` (to sniff without seeking)."""

    def __init__(self, first: bytes, raw: BinaryIO) -> None:
        self._first = memoryview(first)
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        if self._first:
            n = min(len(b), len(self._first))
            b[:n] = self._first[:n]
            self._first = self._first[n:]
            return n
        data = self._raw.read(len(b))
        b[: len(data)] = data
        return len(data)


def read_file(path: Path, max_mb: float = DEFAULT_MAX_MB, shown: str | None = None) -> Iterator[Item]:
    source = shown or str(path)
    suffix, gz = _suffixes(path.name)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Failure(source, errors.problem("E007", detail=exc.strerror or str(exc)))
        return
    if size == 0:
        yield Failure(source, errors.problem("E002"))
        return
    try:
        if suffix in WARC_SUFFIXES:
            with path.open("rb") as fh:  # warcio handles .warc.gz itself
                yield from read_warc(fh, source, str(path))
            return
        opener = gzip.open if gz else open
        if suffix in RECORD_SUFFIXES:
            with opener(path, "rb") as fh:
                lines = _text_stream(fh, source)  # type: ignore[arg-type]
                reader = read_jsonl if suffix != ".csv" else read_csv
                yield from reader(lines, source, str(path))
            return
        # Whole-file documents: a size limit, since one "article" of 50 MB is a broken input.
        if size > max_mb * 1024 * 1024:
            yield Failure(source, errors.problem("E008", limit=f"{max_mb:g}", size=f"{size / 2**20:.1f}"))
            return
        with opener(path, "rb") as fh:
            data = fh.read(int(max_mb * 1024 * 1024) + 1)
        if len(data) > max_mb * 1024 * 1024:
            yield Failure(source, errors.problem("E008", limit=f"{max_mb:g}", size=f">{max_mb:g}"))
            return
        yield from read_text_document(data, source, str(path), suffix)
    except errors.InputError as exc:
        yield Failure(source, exc.problem)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        code = "E011" if gz else "E007"
        yield Failure(source, errors.problem(code, detail=f"{type(exc).__name__}: {exc}"))


def read_stdin(stream: BinaryIO, max_mb: float) -> Iterator[Item]:
    """Standard input: JSON lines are streamed record by record; anything else is one document."""
    source = "<stdin>"
    first = stream.read(65536)
    if not first.strip():
        yield Failure(source, errors.problem("E002"))
        return
    try:
        head, _ = decode(first, source)
    except errors.InputError as exc:
        yield Failure(source, exc.problem)
        return
    if sniff(head) == "jsonl":
        yield from read_jsonl(
            _text_stream(cast(BinaryIO, io.BufferedReader(_Chain(first, stream))), source), source, None
        )
        return
    limit = int(max_mb * 1024 * 1024)
    data = first + stream.read(limit + 1 - len(first))
    if len(data) > limit:
        yield Failure(source, errors.problem("E008", limit=f"{max_mb:g}", size=f">{max_mb:g}"))
        return
    yield from read_text_document(data, source, None, "")


def iter_inputs(paths: Iterable[str], max_mb: float = DEFAULT_MAX_MB, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every input named on the command line, in order; directories recursively in sorted order."""
    for name in paths:
        if name == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, max_mb)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _walk(path, max_mb)
        elif path.exists():
            # An explicitly named file with an unknown suffix is read if it sniffs as text, else refused.
            yield from read_file(path, max_mb)
        else:
            yield Failure(name, errors.problem("E001"))


def _walk(root: Path, max_mb: float) -> Iterator[Item]:
    skipped: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        suffix, _ = _suffixes(path.name)
        if suffix not in SUPPORTED:
            skipped.append(path.name)
            continue
        yield from read_file(path, max_mb)
    if skipped:
        # Not a failure: a folder of articles often holds images or notes beside them.
        print(f"{root}: {errors.message('W103', count=len(skipped), example=skipped[0])}", file=sys.stderr)
