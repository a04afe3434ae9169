"""Excel files and downloads, safe against formula injection (plain Python but for the response)."""

from __future__ import annotations

import io

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: quote them. Control
    characters, which Excel refuses, are taken out (core/text.py)."""
    from .text import text_clean

    value = text_clean(value)
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """One sheet per entry: name → (header, rows). Text cells are made safe; numbers stay numbers."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(sheets: dict[str, tuple[list[str], list[list]]], filename: str):
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
