"""Reading an uploaded contact CSV into a header and rows, refusing files that are not one
with a message that says what to do (no API calls here).

Refused, naming the fix: an empty file, one over ``MAX_BYTES`` or ``MAX_ROWS``, a workbook
or other binary data, text that is not UTF-8 (a UTF-8 byte-order mark is fine), a file
separated by semicolons or tabs, a first row that names no ``id`` or ``email`` column,
a quote left open, rows with more or fewer cells than the header.
"""

import csv
import io
from dataclasses import dataclass

MAX_BYTES = 2_000_000
# A preview reads every row's contact within one page's API deadline: 20 reads of 100.
MAX_ROWS = 2_000
SHOWN_PROBLEMS = 5  # rows named in one message
EXCEL_HINT = "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”"
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
BINARY_STARTS = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip archive",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
}


class BadFile(ValueError):
    """The file cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)


def too_big(size: int) -> str | None:
    if size <= MAX_BYTES:
        return None
    return (
        f"The file is {size / 1_000_000:.1f} MB; an import takes at most "
        f"{MAX_BYTES // 1_000_000} MB ({MAX_ROWS:,} rows). Split it into smaller files."
    )


def _decode(data: bytes) -> str:
    if not data.strip():
        raise BadFile("The file is empty: export the contacts, edit them and upload that file.")
    for start, what in BINARY_STARTS.items():
        if data.startswith(start):
            raise BadFile(f"This is {what}, not a CSV file. {EXCEL_HINT}, then upload that.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadFile(f"The file is UTF-16 text; save it as UTF-8 instead. {EXCEL_HINT}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data or _control_share(data.decode("latin-1")) > 0.05:
            raise BadFile("The file holds binary data, not text: it is not a CSV file.") from None
        line = data[: exc.start].count(b"\n") + 1
        raise BadFile(
            f"The file is not UTF-8 text (line {line} has a byte UTF-8 does not allow: it was "
            f"probably saved as Windows-1252 or Latin-1). Save it as UTF-8: {EXCEL_HINT}; "
            "in LibreOffice tick “Edit filter settings” and choose Unicode (UTF-8)."
        ) from None
    if "\x00" in text or _control_share(text) > 0.05:
        raise BadFile("The file holds binary data, not text: it is not a CSV file.")
    if not text.strip():
        raise BadFile("The file is empty: export the contacts, edit them and upload that file.")
    return text


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r")
    return controls / max(1, len(text))


def _check_delimiter(first_line: str) -> None:
    """A header without commas but with semicolons (or tabs): saved with another separator."""
    if "," in first_line:
        return
    for delimiter, name in OTHER_DELIMITERS.items():
        if delimiter in first_line:
            raise BadFile(
                f"The columns are separated by {name}, not commas (a spreadsheet set to "
                f"another region does this). Save the file with commas as separators: "
                f"{EXCEL_HINT}."
            )


def _check_header(header: list[str]) -> None:
    names = {" ".join(cell.split()).lower() for cell in header}
    if "id" in names or names & {"email", "email address"}:
        return
    found = ", ".join(f"“{cell[:40]}”" for cell in header[:6])
    looks_like_data = any("@" in cell for cell in header)
    first = "The first row holds data, not column names" if looks_like_data else (
        f"The first row names no id or email column (it has {found})"
    )  # fmt: skip
    raise BadFile(
        f"{first}. Keep the header row the export writes: contacts are matched by the "
        "“id” column, or else by “email”."
    )


def _rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise BadFile(
            f"The file is not valid CSV near line {reader.line_num} ({exc}): a quote may "
            "be left open. Save it again from the spreadsheet rather than editing it by hand."
        ) from None


def _ragged(header: list[str], rows: list[tuple[int, list[str]]]) -> None:
    wrong = [(number, len(cells)) for number, cells in rows if len(cells) != len(header)]
    if not wrong:
        return
    shown = "; ".join(f"row {number} has {count}" for number, count in wrong[:SHOWN_PROBLEMS])
    more = f" and {len(wrong) - SHOWN_PROBLEMS} more rows" if len(wrong) > SHOWN_PROBLEMS else ""
    raise BadFile(
        f"The header has {len(header)} columns but {shown} cells{more}. A value with a comma "
        "must be quoted: save the file again from the spreadsheet."
    )


def read_table(data: bytes) -> Table:
    """The header and the non-empty rows of a CSV file; BadFile says why it is not one."""
    if message := too_big(len(data)):
        raise BadFile(message)
    text = _decode(data)
    _check_delimiter(text.lstrip().splitlines()[0])
    rows = _rows(text)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)  # blank lines before the header
    header = [cell.strip() for cell in rows[0]]
    _check_header(header)
    numbered = [
        (number, cells)
        for number, cells in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    # A spreadsheet may add an empty column after the last one: it carries nothing.
    while (
        header
        and not header[-1]
        and all(len(cells) == len(header) and not cells[-1].strip() for _, cells in numbered)
    ):
        header.pop()
        numbered = [(number, cells[:-1]) for number, cells in numbered]
    _ragged(header, numbered)
    if len(numbered) > MAX_ROWS:
        raise BadFile(
            f"The file has {len(numbered):,} rows; an import takes at most {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
    if not numbered:
        raise BadFile("The file has a header but no rows of contacts.")
    return Table(header, numbered)
