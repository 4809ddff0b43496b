"""User-facing errors and warnings, each with a code and a message that says what to do next.

Codes: E0xx input cannot be read; W1xx input read with a caveat; E9xx internal (a bug: please report).
"""

from __future__ import annotations

from eventdesk.model import Problem

MESSAGES: dict[str, str] = {
    # Inputs that cost their record.
    "E001": "no such file or directory: check the path",
    "E002": "the file is empty: nothing to analyse",
    "E003": "binary data, not text ({detail}): pass .txt, .md, .html, .jsonl, .csv or .warc files",
    "E004": "invalid JSON on line {line}: {detail}; the other lines were processed",
    "E005": "no article text found in the HTML: the page may be an index, a paywall or a script-only page",
    "E006": "the record has no text (line or row {line}): give a non-empty `text` field",
    "E007": "cannot read the file: {detail}",
    "E008": "the file is larger than {limit} MB ({size} MB): split it, or raise --max-mb",
    "E009": "the CSV has no `text` column (columns: {columns}): name the article body column `text`",
    "E011": "corrupt compressed or archive data: {detail}",
    "E012": "the text is empty after removing page boilerplate: nothing to analyse",
    # Caveats: the record is kept.
    "W101": "undecodable bytes replaced ({count} bytes, read as {encoding}): check the file's encoding",
    "W102": "decoded as {encoding} (not UTF-8)",
    "W103": "skipped {count} files with unsupported types under this directory (e.g. {example})",
    "W104": "the text is {chars} characters long: only the first {limit} were analysed",
    "W106": "cannot read the published date {value!r}: give it as YYYY-MM-DD; the date is left unknown",
    # Internal.
    "E900": "internal error in stage {stage}: {error}. The other stages ran; please report this",
}


def message(code: str, **kw: object) -> str:
    return MESSAGES[code].format(**kw)


def problem(code: str, **kw: object) -> Problem:
    return Problem(code=code, message=message(code, **kw))


class InputError(Exception):
    """An input that cannot be turned into an article; carries its code and where it came from."""

    def __init__(self, source: str, code: str, **kw: object) -> None:
        self.source = source
        self.code = code
        self.problem = problem(code, **kw)
        super().__init__(f"{source}: {self.problem}")
