"""Form exports in the shapes each tool writes them, made by the tests: Google Forms' CSV
(UTF-8, commas, `Timestamp` and `Email address`, day-first timestamps), Microsoft Forms'
workbook (`ID`, `Start time`, `Completion time`, `Email`, `Name`, dates as Excel stores
them), Excel's "CSV (semicolon)" in Windows-1252 and its "Unicode text" (UTF-16, tabs)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

Cell = str | int | float | dt.datetime | dt.date | None


def csv_text(rows: Sequence[Sequence[Cell]], separator: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(["" if cell is None else str(cell) for cell in row])
    return out.getvalue()


def google_csv(file: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Path:
    """Google Forms' download: a Timestamp column first (`14/03/2027 09:41:00` in a UK
    account), UTF-8 without a byte-order mark, commas, CRLF."""
    file.write_bytes(csv_text([["Timestamp", *headers], *rows]).encode("utf-8"))
    return file


def excel_semicolon_csv(file: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Path:
    """Excel's "CSV (semicolon delimited)" as a European Windows writes it: Windows-1252."""
    file.write_bytes(csv_text([list(headers), *rows], ";").encode("cp1252"))
    return file


def excel_unicode_text(file: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Path:
    """Excel's "Unicode text": UTF-16 little-endian with a byte-order mark, tabs."""
    file.write_bytes(codecs.BOM_UTF16_LE + csv_text([list(headers), *rows], "\t").encode("utf-16-le"))
    return file


def utf8_bom_csv(file: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Path:
    """Excel's "CSV UTF-8": a byte-order mark, commas."""
    file.write_bytes(codecs.BOM_UTF8 + csv_text([list(headers), *rows]).encode("utf-8"))
    return file


def microsoft_xlsx(file: Path, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                   sheet: str = "Form1") -> Path:
    """Microsoft Forms' "Open in Excel": ID, Start time, Completion time, Email, Name, then
    the questions; the times stored as Excel dates."""
    import openpyxl
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", *headers])
    for row in rows:
        ws.append(list(row))
    book.save(file)
    return file
