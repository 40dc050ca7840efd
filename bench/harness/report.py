"""Statistics and plain-text tables for the bench scripts' reports."""

import statistics
from collections.abc import Iterable


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def p95(values: Iterable[float]) -> float:
    values = list(values)
    if not values:
        return float("nan")
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def table(rows: list[tuple[str, ...]], header_rows: int = 1) -> list[str]:
    """Rows of cells as aligned lines: the first column left-aligned, the others right, a
    rule under the header rows."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == header_rows - 1:
            lines.append("  ".join("-" * w for w in widths))
    return lines
