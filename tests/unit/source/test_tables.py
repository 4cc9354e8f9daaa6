"""Reading form exports as they come: encodings, separators, quoted line breaks, rows
numbered as the spreadsheet shows them, and every problem of the file's shape at once."""

from __future__ import annotations

import codecs

import pytest

from rmsite.source.tables import Table, decode, read_csv, separator

GOOGLE = ('Timestamp,Email address,Full name ,"What could you teach a senior leader? (tick all that apply)"\r\n'
          '14/03/2027 09:41:00,ana@example.org,Ana Lima Désirée,"Data tools;Customer voice"\r\n'
          '14/03/2027 10:02:13,boris@example.org,Boris Petrov,"Line one\r\nline two, with a comma"\r\n'
          '\r\n')


def table(data: bytes) -> Table:
    read, problems = read_csv(data, "answers.csv")
    assert problems == [] and read is not None
    return read


@pytest.mark.parametrize("encoded, encoding", [
    (GOOGLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + GOOGLE.encode("utf-8"), "utf-8"),
    (GOOGLE.encode("utf-16"), "utf-16"),  # Excel's "Unicode text" (with a byte-order mark)
    (GOOGLE.encode("cp1252"), "windows-1252"),
])
def test_a_google_forms_export_reads_the_same_in_every_encoding(encoded: bytes, encoding: str):
    read = table(encoded)
    assert read.encoding == encoding and read.separator == ","
    assert read.headers == ("Timestamp", "Email address", "Full name",
                            "What could you teach a senior leader? (tick all that apply)")
    assert [row.number for row in read.rows] == [2, 3]  # the blank last line is no row
    assert read.rows[1].cells[3] == "Line one\nline two, with a comma"  # one cell, one row; its line break as \n
    assert read.column("  full   NAME ") == 2 and read.column("Name") is None


def test_accented_names_in_windows_1252_are_read_as_written():
    read = table("Name;Team\nJosé Müller;Café\n".encode("cp1252"))
    assert read.separator == ";" and read.rows[0].cells == ("José Müller", "Café")


@pytest.mark.parametrize("header, expected", [
    ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"Name, full";Team;Hours', ";"), ("only", ","),
])
def test_the_separator_is_the_one_the_header_holds_most_of_outside_quotes(header: str, expected: str):
    assert separator(header) == expected


def test_a_microsoft_forms_export_with_semicolons_and_empty_cells():
    data = "ID;Start time;Completion time;Email;Name;Grade\n1;3/14/2027 9:41:00 AM;3/14/2027 9:44:10 AM;;Ana;\n"
    read = table(data.encode())
    assert read.rows[0].cells == ("1", "3/14/2027 9:41:00 AM", "3/14/2027 9:44:10 AM", None, "Ana", None)


def test_problems_of_shape_are_all_reported_at_their_rows():
    data = 'Name,Team,Team \nAna,Support\n"Boris, the",Finance,x,extra\nCleo,Ops,y\n'
    read, problems = read_csv(data.encode(), "answers.csv")
    assert [p.format() for p in problems] == [
        "answers.csv:1: error: column 'Team': this header appears twice (columns 2 and 3); "
        "a column must be named once",
        "answers.csv:3: error: the row has 4 cells but the header names 3 columns, separated by commas; "
        "a cell holding the separator must be in quotes",
    ]
    assert read is not None and [row.number for row in read.rows] == [2, 4]
    assert read.rows[0].cells == ("Ana", "Support", None)


def test_a_file_that_is_no_text_is_an_error_at_the_row_of_its_first_bad_byte():
    problem = decode(b"Name\nAna\n\x81\n", "answers.csv")
    assert not isinstance(problem, tuple)
    assert problem.format() == ("answers.csv:3: error: byte 0x81 is not text in UTF-8, UTF-16 or "
                                "Windows-1252; export the file again as CSV UTF-8")


def test_an_empty_file_or_an_unclosed_quote_is_one_located_error():
    assert [p.format() for p in read_csv(b"", "a.csv")[1]] == [
        "a.csv:1: error: the file has no header row: its first row must name the columns"]
    problems = read_csv(b'Name,Team\nAna,"Support\n', "a.csv")[1]
    assert len(problems) == 1 and problems[0].format().startswith("a.csv:2: error: the CSV file cannot be read")
