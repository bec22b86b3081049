"""Hostile spreadsheets for `brag import` (and what export writes for them).

Import must never lose an action, write outside its folder, write through a link, write a file
`brag check` then refuses, or read without bound. Each case asserts the exit code, the message
and what is (or is not) on disk.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from bragcli import outputs
from bragcli.problems import BragError
from bragcli.sheets.exporter import csv_bytes, xlsx_bytes
from bragcli.sheets.importer import area_file_name, import_actions
from bragcli.sheets.read import MAX_CELLS, MAX_SOURCE_BYTES, MAX_TEXT_CHARS, read_rows
from bragcli.source.load import load_plan
from conftest import SAMPLE_AS_OF, SAMPLE_PLAN, Run

HEADER = ["area", "area title", "id", "action", "lead", "deadline", "status"]


def tracker(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def import_to(run: Run, source: Path, target: Path, *extra: str) -> tuple[int, str, str]:
    result = run("import", source, "-o", target, "--organisation", "Council", *extra)
    return result.exit_code, result.stdout, result.stderr


# --- a minimal .xlsx written by hand: shared strings, formulas, sizes as we choose ------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override '
    'PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    f'spreadsheetml/2006/main" xmlns:r="{_REL}"><sheets><sheet name="Actions" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    f'.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
    f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: A cell: text (a shared string), or ("=FORMULA", cached value or None).
Cell = str | tuple[str, str | None]


def write_xlsx_by_hand(path: Path, rows: list[list[Cell]], *, big_mb: int = 0) -> Path:
    """An .xlsx as a program that does not calculate formulas saves it. The text "BIG" becomes
    `big_mb` MiB of one letter (a zip bomb: it compresses about a thousand to one)."""
    strings: dict[str, int] = {}
    sheet = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>']
    for r, row in enumerate(rows, 1):
        sheet.append(f'<row r="{r}">')
        for c, value in enumerate(row):
            ref = f"{chr(ord('A') + c)}{r}"
            if isinstance(value, tuple):
                formula, cached = value
                cached_xml = f"<v>{escape(cached)}</v>" if cached is not None else ""
                kind = ' t="str"' if cached is not None else ""
                sheet.append(f'<c r="{ref}"{kind}><f>{escape(formula[1:])}</f>{cached_xml}</c>')
            else:
                index = strings.setdefault(value, len(strings))
                sheet.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        sheet.append("</row>")
    sheet.append("</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
            for text in strings:
                f.write(b"<si><t>")
                if text == "BIG" and big_mb:
                    for _ in range(big_mb):
                        f.write(b"A" * (1 << 20))
                else:
                    f.write(escape(text).encode())
                f.write(b"</t></si>")
            f.write(b"</sst>")
    return path


XLSX_HEADER: list[Cell] = ["id", "action", "lead", "status", "deadline"]


# --- two areas, one file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "name"),
    [
        ("1", "01", "01-workforce.yaml"),
        ("A", "a", "a-workforce.yaml"),
        ("x", "../x", "x-workforce.yaml"),
        ("2-b", "2/b", "2-b-workforce.yaml"),
    ],
    ids=["leading-zero", "letter-case", "dot-dot-slash", "slash"],
)
def test_two_areas_that_would_share_a_file_are_refused(
    run: Run, tmp_path: Path, first: str, second: str, name: str
) -> None:
    """Promise: no action vanishes because two area ids map to one file name."""
    source = tracker(
        tmp_path / "t.csv",
        [
            [first, "Workforce", "1.1", "Recruit", "HR", "", "green"],
            [second, "Workforce", "9.1", "Retain", "HR", "", "amber"],
        ],
    )
    code, _, err = import_to(run, source, tmp_path / "plans")
    assert code == 1, err
    (line,) = [line for line in err.splitlines() if "would be written to" in line]
    assert f"would be written to {name}, the file of area".casefold() in line.casefold()
    for row, area in ((2, first), (3, second)):  # each row named with its area
        assert f"row {row}: area '{area}' would" in line or f"area '{area}' (row {row})" in line
    assert "nothing written" in err
    assert not (tmp_path / "plans").exists()


# --- ids that cannot, or can only just, name a file -------------------------------------------

#: (case, area id, area title, the file name or None for a row error, part of that error)
ID_CASES: list[tuple[str, str, str, str | None, str]] = [
    ("dot", ".", "Workforce", None, "cannot name a file: it has no letter or digit"),
    ("dot-dot", "..", "Workforce", None, "cannot name a file: it has no letter or digit"),
    ("dots-and-slashes", "../../..", "Workforce", None, "it has no letter or digit"),
    ("parent-path", "../../x", "Workforce", "x-workforce.yaml", ""),
    ("absolute-path", "/abs", "Workforce", "abs-workforce.yaml", ""),
    ("backslash-path", "..\\..\\win", "Workforce", "win-workforce.yaml", ""),
    ("hidden", ".hidden", "Workforce", "hidden-workforce.yaml", ""),
    ("option-like", "-rf", "Workforce", "rf-workforce.yaml", ""),
    ("too-long", "a" * 200, "Workforce", None, "is 200 characters, too long to name a file"),
    ("device-name", "nul", "Качество", "nul-area.yaml", ""),
    ("plan-yaml", "plan", "Качество", "plan-area.yaml", ""),
    ("fullwidth-digit", "\uff12", "Workforce", "02-workforce.yaml", ""),
]


@pytest.mark.parametrize(
    ("area_id", "title", "name", "message"),
    [case[1:] for case in ID_CASES],
    ids=[case[0] for case in ID_CASES],
)
def test_area_ids_make_safe_visible_loadable_file_names(
    run: Run, tmp_path: Path, area_id: str, title: str, name: str | None, message: str
) -> None:
    """Promise: an area file's name is visible, in the folder, .yaml, and loads; an id that
    cannot make one is a row error with its row."""
    source = tracker(tmp_path / "t.csv", [[area_id, title, "7.1", "Do it", "Lead", "", "green"]])
    target = tmp_path / "plans"
    code, _, err = import_to(run, source, target)
    if name is None:
        assert code == 1
        assert "t.csv: row 2: area " in err and message in err
        assert not target.exists()
        return
    assert code == 0, err
    assert sorted(p.name for p in target.iterdir()) == sorted([name, "plan.yaml"])
    loaded = load_plan(target)
    assert loaded.errors == []
    assert [(s.area.id, [a.id for a in s.area.actions]) for s in loaded.areas] == [
        (area_id, ["7.1"])
    ]
    assert run("check", target, "--as-of", SAMPLE_AS_OF).exit_code == 0


@pytest.mark.parametrize(
    "area_id", ["\x00", "2\x00", "2\x1b[2J", "\u202e2", "2\u200b", "\x7f"], ids=repr
)
def test_ids_with_control_or_invisible_characters(run: Run, tmp_path: Path, area_id: str) -> None:
    """Promise: such an id is a row error, or makes a plain file name that brag check loads;
    it never names a file with a control or invisible character."""
    source = tracker(tmp_path / "t.csv", [[area_id, "Workforce", "7.1", "Do it", "L", "", "red"]])
    target = tmp_path / "plans"
    code, _, err = import_to(run, source, target)
    if code == 1:
        assert "t.csv: row 2: " in err
        assert not target.exists()
        return
    assert code == 0, err
    names = [p.name for p in target.iterdir()]
    assert all(n.isascii() and n.isprintable() and not n.startswith(".") for n in names), names
    checked = run("check", target, "--as-of", SAMPLE_AS_OF)
    assert checked.exit_code == 0, checked.output


def test_file_names_are_short_and_plain() -> None:
    """Promise: names stay under 100 characters, whatever the id and title."""
    name = area_file_name("x" * 50, "word " * 100)
    assert len(name) < 100 and name.endswith(".yaml")
    with pytest.raises(ValueError, match="too long to name a file"):
        area_file_name("x" * 51, "t")
    assert area_file_name("2", "The sufficiency & stability of staff!") == (
        "02-the-sufficiency-stability-of-staff.yaml"
    )


# --- links and existing files in the output folder --------------------------------------------


@pytest.fixture
def one_action(tmp_path: Path) -> Path:
    return tracker(tmp_path / "t.csv", [["1", "Workforce", "1.1", "Recruit", "HR", "", "green"]])


def test_a_dangling_plan_yaml_link_is_never_written_through(
    run: Run, tmp_path: Path, one_action: Path
) -> None:
    """Promise: import never writes through a plan.yaml link to a file outside the folder."""
    target = tmp_path / "plans"
    target.mkdir()
    outside = tmp_path / "elsewhere" / "plan.yaml"
    outside.parent.mkdir()
    (target / "plan.yaml").symlink_to(outside)
    code, out, err = import_to(run, one_action, target)
    assert code == 2
    assert "plans/plan.yaml is a symbolic link" in err
    assert "never writes a plan file through a link" in err
    assert not outside.exists()
    assert [p.name for p in target.iterdir()] == ["plan.yaml"]  # the area file is not written
    assert out == ""


def test_an_area_file_link_is_never_written_through(
    run: Run, tmp_path: Path, one_action: Path
) -> None:
    """Promise: --force does not write through an area-file link to a file outside."""
    target = tmp_path / "plans"
    target.mkdir()
    (target / "plan.yaml").write_text("title: Plan\norganisation: Council\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (target / "01-workforce.yaml").symlink_to(victim)
    before = snapshot(target)
    code, _, err = import_to(run, one_action, target, "--force")
    assert code == 2
    assert "01-workforce.yaml is a symbolic link" in err
    assert victim.read_text() == "precious\n"
    assert (target / "01-workforce.yaml").is_symlink()
    assert snapshot(target) == before


def test_an_existing_plan_folder_is_left_alone_without_force(
    run: Run, tmp_path: Path, one_action: Path
) -> None:
    """Promise: importing into a plan folder with area files changes nothing there."""
    target = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, target)
    before = snapshot(target)
    code, _, err = import_to(run, one_action, target)
    assert code == 2
    assert "already has area files" in err
    assert snapshot(target) == before


def test_force_never_writes_an_id_another_kept_file_holds(run: Run, tmp_path: Path) -> None:
    """Promise: import --force writes no file that brag check then refuses for a duplicate."""
    target = tmp_path / "plans"
    target.mkdir()
    (target / "plan.yaml").write_text("title: Plan\norganisation: Council\n")
    (target / "05-old-name.yaml").write_text(
        'id: "1"\ntitle: Workforce\nactions:\n  - id: "1.1"\n    title: Old\n    lead: HR\n'
        "    status: red\n"
    )
    before = snapshot(target)
    source = tracker(tmp_path / "t.csv", [["1", "Workforce", "1.1", "Recruit", "HR", "", "green"]])
    code, _, err = import_to(run, source, target, "--force")
    assert code == 2
    assert "05-old-name.yaml already holds area '1', which the import writes too" in err
    assert snapshot(target) == before


def test_plan_yml_counts_as_the_plan_file(run: Run, tmp_path: Path, one_action: Path) -> None:
    """Promise: import adds no plan.yaml beside a plan.yml (brag check would refuse both)."""
    target = tmp_path / "plans"
    target.mkdir()
    (target / "plan.yml").write_text("title: Plan\norganisation: Council\n")
    code, _, err = import_to(run, one_action, target)
    assert code == 0, err
    assert sorted(p.name for p in target.iterdir()) == ["01-workforce.yaml", "plan.yml"]
    assert run("check", target, "--as-of", SAMPLE_AS_OF).exit_code == 0


def test_a_plan_yaml_that_would_not_load_is_not_written(
    run: Run, tmp_path: Path, one_action: Path
) -> None:
    """Promise: import writes no plan.yaml that brag check refuses (an empty organisation)."""
    result = run("import", one_action, "-o", tmp_path / "plans", "--organisation", " ")
    assert result.exit_code == 2
    assert "the new plan.yaml would not load" in result.stderr
    assert not (tmp_path / "plans").exists()


def test_files_are_written_all_or_none(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Promise: a failure part way (disk full on the second file) leaves nothing behind."""
    source = tracker(
        tmp_path / "t.csv",
        [
            ["1", "Workforce", "1.1", "Recruit", "HR", "", "green"],
            ["2", "Practice", "2.1", "Audit", "SD", "", "red"],
        ],
    )
    real_write = os.write
    calls = []

    def fail_second(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(outputs.os, "write", fail_second)
    code, out, err = import_to(run, source, tmp_path / "new" / "plans")
    assert code == 2
    assert "no space left on the device" in err
    assert out == ""
    assert not (tmp_path / "new").exists()


def test_an_area_over_the_size_limit_is_not_written(run: Run, tmp_path: Path) -> None:
    """Promise: import never writes a file that brag check refuses as too large."""
    notes = "word " * 6_000  # 30,000 characters, under a cell's limit
    rows = [["1", "Workforce", f"1.{n}", "Do", "L", "", "green", notes] for n in range(1, 200)]
    source = tracker(tmp_path / "t.csv", rows, [*HEADER, "progress"])
    code, _, err = import_to(run, source, tmp_path / "plans")
    assert code == 2
    assert "area '1' would be written as 01-workforce.yaml of over 5.7 MB" in err
    assert "more than the 5.0 MB brag check reads in one plan file" in err
    assert not (tmp_path / "plans").exists()


# --- xlsx formulas ----------------------------------------------------------------------------


def test_a_formula_with_no_saved_value_is_a_row_error(run: Run, tmp_path: Path) -> None:
    """Promise: =DATE(2023,3,31) saved without its value is reported, not imported empty."""
    source = write_xlsx_by_hand(
        tmp_path / "t.xlsx",
        [
            XLSX_HEADER,
            ["1.1", "Recruit", "HR", "green", ("=DATE(2023,3,31)", None)],
            ["1.2", "Retain", "HR", "amber", ('=TEXT(DATE(2023,6,30),"mmmm yyyy")', "June 2023")],
        ],
    )
    code, _, err = import_to(run, source, tmp_path / "plans")
    assert code == 1
    assert "t.xlsx: row 2: deadline is the formula '=DATE(2023,3,31)' with no saved value" in err
    assert "open the file in Excel or LibreOffice and save it again" in err
    assert "row 3" not in err  # a formula with its saved value imports as that value
    assert not (tmp_path / "plans").exists()
    code, _, err = import_to(run, source, tmp_path / "plans", "--partial")
    assert code == 0, err
    (area,) = load_plan(tmp_path / "plans").areas
    assert [(a.id, a.deadline) for a in area.area.actions] == [("1.2", "June 2023")]


def test_a_formula_in_an_ignored_column_does_not_matter(tmp_path: Path) -> None:
    source = write_xlsx_by_hand(
        tmp_path / "t.xlsx",
        [[*XLSX_HEADER, "extra"], ["1.1", "Recruit", "HR", "green", "March 2023", ("=1+1", None)]],
    )
    imported = import_actions(read_rows(source))
    assert imported.problems == [] and len(imported.areas) == 1


# --- bounds on what is read -------------------------------------------------------------------


def test_a_zip_bomb_is_refused_early_in_bounded_memory(tmp_path: Path) -> None:
    """Promise: an .xlsx of a few hundred KB that unzips to 200 MB is refused before parsing,
    within a 1 GB address-space limit (it took gigabytes, then wrote the text out)."""
    source = write_xlsx_by_hand(
        tmp_path / "bomb.xlsx",
        [["id", "action", "lead", "status", "progress"], ["1.1", "T", "L", "green", "BIG"]],
        big_mb=200,
    )
    assert source.stat().st_size < 400_000

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    target = tmp_path / "plans"
    done = subprocess.run(
        [sys.executable, "-m", "bragcli", "import", str(source), "-o", str(target),
         "--organisation", "C"],
        capture_output=True, text=True, preexec_fn=limit_memory, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "bomb.xlsx: unzips to 200.0 MB, over the 32.0 MB bragcli reads from a workbook" in (
        done.stderr
    )
    assert not target.exists()


def test_a_workbook_lying_about_its_sizes_is_refused(tmp_path: Path) -> None:
    """Promise: a part that claims to be small but unzips to more fails, not expands."""
    source = write_xlsx_by_hand(
        tmp_path / "liar.xlsx",
        [["id", "action", "lead", "status", "progress"], ["1.1", "T", "L", "green", "BIG"]],
        big_mb=64,
    )
    data = bytearray(source.read_bytes())
    name = b"xl/sharedStrings.xml"
    with zipfile.ZipFile(source) as z:
        local = z.getinfo(name.decode()).header_offset
    struct.pack_into("<I", data, local + 22, 2_000)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02" + data[local + 4 : local + 6])
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 2_000)  # central directory: the same
    source.write_bytes(bytes(data))
    with pytest.raises(BragError, match=r"cannot be read as an Excel \.xlsx workbook: Bad CRC"):
        read_rows(source)


def test_a_cell_too_long_is_refused_with_its_row_and_column(tmp_path: Path) -> None:
    source = tracker(tmp_path / "t.csv", [["1", "W", "1.1", "x" * 40_000, "L", "", "green"]])
    with pytest.raises(BragError, match=r"row 2, column D holds 40,000 characters, over the "
                                        r"32,767 one cell can hold"):  # fmt: skip
        read_rows(source)
    cell = tracker(tmp_path / "huge.csv", [["1", "W", "1.1", "x" * 200_000, "L", "", "green"]])
    with pytest.raises(BragError, match="row 2 holds a cell of more than 131,072 characters"):
        read_rows(cell)


def test_too_many_cells_are_refused(tmp_path: Path) -> None:
    """Promise: rows x columns are bounded (a sheet with a stray cell far to the right)."""
    width = 5_000
    rows = [["x"] * width for _ in range(MAX_CELLS // width + 2)]
    source = tracker(tmp_path / "wide.csv", rows, ["id"] * width)
    with pytest.raises(BragError, match=r"has more than 2,000,000 cells \(rows x columns\)"):
        read_rows(source)


def test_too_much_text_is_refused(tmp_path: Path) -> None:
    """Promise: the text read in all is bounded."""
    cell = "x" * 30_000
    rows = [
        ["1", "W", f"1.{n}", cell, "L", "", "green"] for n in range(MAX_TEXT_CHARS // 30_000 + 2)
    ]
    source = tracker(tmp_path / "long.csv", rows)
    with pytest.raises(BragError, match="holds more than 10,000,000 characters of text"):
        read_rows(source)


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "huge.csv"
    with source.open("wb") as f:
        f.truncate(MAX_SOURCE_BYTES + 1)
    with pytest.raises(BragError, match=r"is 20\.0 MB, over the 20\.0 MB bragcli reads from a "):
        read_rows(source)


# --- what export writes comes back ------------------------------------------------------------

ESCAPE_TITLES = ["'=x", "''x", "'+1", "=SUM(A1)", '\uff1dHYPERLINK("http://evil")', "'", "-1"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_gives_back_the_same_text(run: Run, tmp_path: Path, suffix: str) -> None:
    """Promise: "'=x" exported and imported again is "'=x" (csv_safe and import agree)."""
    plan = tmp_path / "plans"
    plan.mkdir()
    (plan / "plan.yaml").write_text("title: Plan\norganisation: Council\n")
    actions = "".join(
        f'  - id: "1.{n}"\n    title: {json.dumps(title)}\n    lead: L\n    status: green\n'
        for n, title in enumerate(ESCAPE_TITLES, 1)
    )
    (plan / "01-a.yaml").write_text(f'id: "1"\ntitle: A\nactions:\n{actions}')
    assert [a.title for a in load_plan(plan).areas[0].area.actions] == ESCAPE_TITLES
    sheet = tmp_path / f"out{suffix}"
    assert run("export", plan, "-o", sheet, "--as-of", SAMPLE_AS_OF).exit_code == 0
    imported = import_actions(read_rows(sheet))
    assert imported.problems == []
    assert [a.title for a in imported.areas[0].actions] == ESCAPE_TITLES


def test_fullwidth_formula_signs_are_neutralised_in_csv() -> None:
    """Promise: fullwidth (and small) = + - @ at the start of a cell are made text too."""
    titles = ["\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "\ufe661"]
    data = csv_bytes([["action"], *([t] for t in titles)]).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(data.splitlines()[1:])]
    assert cells == ["'" + t for t in titles]


def test_nul_and_control_characters_never_pass_raw(tmp_path: Path) -> None:
    """Promise: NUL (and ESC) are written escaped in CSV and in xlsx, never raw or dropped."""
    rows = [["id", "action"], ["1.1", "a\x00b\x1b[2Jc"]]
    data = csv_bytes(rows)
    assert b"\x00" not in data and b"\x1b" not in data
    assert "a\\x00b\\x1b[2Jc" in data.decode("utf-8-sig")
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    assert read_rows(path)[1] == ["1.1", "a\\x00b\\x1b[2Jc"]
