"""Reading a form's answers as exported: a CSV file as Microsoft Forms, Google Forms,
Typeform or a spreadsheet writes it, into a Table of rows numbered as the spreadsheet
shows them (the header is row 1), for `rmsite import`.

Encodings are tried in a fixed order, the ones the format names: UTF-8 with or without a
byte-order mark, UTF-16 with one (Excel's "Unicode text"), then Windows-1252. A fixed order
is deterministic and cannot misjudge a short file, which a detector guessing among all
encodings can; a file that is none of these is an error at its first bad byte's row.
The separator (comma, semicolon or tab) is the one the header row holds most of, outside
quotes. Quoted cells may hold separators, quotes and line breaks."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from rmsite.core.problems import Problem

SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")  # bytes Windows-1252 leaves without a character


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: tuple[str | None, ...]  # one per header; None for an empty cell ("not given")


@dataclass(frozen=True)
class Table:
    path: str  # as messages name it
    headers: tuple[str, ...]  # as the file has them, trimmed
    rows: tuple[Row, ...]
    encoding: str
    separator: str

    def column(self, header: str) -> int | None:
        """The index of the column whose header is `header`, compared after trimming,
        collapsing white space and case folding (as the mapping's headers are)."""
        wanted = header_key(header)
        for index, name in enumerate(self.headers):
            if header_key(name) == wanted:
                return index
        return None


def header_key(text: str) -> str:
    """A header as compared: white space trimmed and collapsed, case folded."""
    return " ".join(text.split()).casefold()


def row_error(path: str, row: int, message: str, header: str | None = None) -> Problem:
    """`FILE:ROW: error: column 'Header': message` (column 0: a row has no column)."""
    return Problem(path, row, 0, "error", f"column '{header}': {message}" if header is not None else message)


def decode(data: bytes, path: str) -> tuple[str, str] | Problem:
    """The file's text and encoding, or the problem at the row of its first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path, "UTF-8 (with a byte-order mark)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path, "UTF-16")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad = next((i for i, byte in enumerate(data) if byte in CP1252_UNDEFINED or byte == 0), None)
    if bad is None:
        return data.decode("cp1252"), "windows-1252"
    return row_error(path, data[:bad].count(b"\n") + 1,
                     f"byte 0x{data[bad]:02x} is not text in UTF-8, UTF-16 or Windows-1252; "
                     "export the file again as CSV UTF-8")


def _strict(data: bytes, encoding: str, path: str, name: str) -> tuple[str, str] | Problem:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        return row_error(path, data[:exc.start].decode(encoding, "replace").count("\n") + 1,
                         f"the file starts as {name} but is not {name} here; export it again as CSV UTF-8")


def separator(header_line: str) -> str:
    """The separator the header row holds most of, outside quotes (a comma if none)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def first_record(text: str) -> str:
    """The text of the header row: up to the first line break outside quotes."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:index]
    return text


def read_csv(data: bytes, path: str) -> tuple[Table | None, list[Problem]]:
    """A CSV export as a Table, with every problem of its shape (cells past the header's
    columns, a missing or repeated header, an unclosed quote) at once."""
    decoded = decode(data, path)
    if isinstance(decoded, Problem):
        return None, [decoded]
    text, encoding = decoded
    sep = separator(first_record(text))
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    try:
        for number, record in enumerate(reader, 1):
            records.append((number, record))
    except csv.Error as exc:
        return None, [row_error(path, len(records) + 1, f"the CSV file cannot be read here ({exc}); "
                                "a quote may be left open")]
    return table_of(path, records, encoding, sep)


def table_of(path: str, records: list[tuple[int, list[str]]], encoding: str,
             sep: str) -> tuple[Table | None, list[Problem]]:
    """Numbered records as a Table: the first is the header; every problem of their shape at once."""
    problems: list[Problem] = []
    if not records or not any(cell.strip() for cell in records[0][1]):
        return None, [row_error(path, 1, "the file has no header row: its first row must name the columns")]
    headers = tuple(" ".join(cell.split()) for cell in records[0][1])
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header and header_key(header) in seen:
            problems.append(row_error(path, 1, "this header appears twice (columns "
                                      f"{seen[header_key(header)] + 1} and {index + 1}); a column must be "
                                      "named once", header))
        seen.setdefault(header_key(header), index)
    rows: list[Row] = []
    for number, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue  # an empty row, as a spreadsheet leaves at the end
        if len(record) > len(headers) and any(cell.strip() for cell in record[len(headers):]):
            how = (f", separated by {SEPARATOR_NAMES[sep]}s; a cell holding the separator must be in quotes"
                   if sep in SEPARATOR_NAMES else "; give each column a header")
            problems.append(row_error(path, number, f"the row has {len(record)} cells but the header names "
                                      f"{len(headers)} columns{how}"))
            continue
        cells = [cell.replace("\r\n", "\n").replace("\r", "\n").strip() or None for cell in record[:len(headers)]]
        rows.append(Row(number, tuple(cells + [None] * (len(headers) - len(cells)))))
    return Table(path, headers, tuple(rows), encoding, sep), problems
