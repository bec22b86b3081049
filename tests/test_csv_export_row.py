"""A CSV export says where it came from in its first row ("# bragcli export | ... | revision
SHA | exported TIME | do not edit this row"), so `brag import FILE.csv --update` finds the
plan as it was exported and detects conflicts as it does with an xlsx's About sheet; the row
survives Excel and LibreOffice, and a hostile one is ignored with a warning, never obeyed."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bragcli.sheets.provenance import (
    Provenance,
    export_row,
    locate,
    parse_about,
    parse_export_row,
)
from conftest import EXAMPLES, Run

AS_OF = "2023-01-10"
NOW = datetime(2023, 3, 31, 12, 0, tzinfo=UTC)
SHA = "4898e2aa060da3143083ba80acea338c275a979d"


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True
    ).stdout


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """tests/examples/edit committed in a git repository: repo/plans."""
    target = tmp_path / "repo" / "plans"
    shutil.copytree(EXAMPLES / "edit", target)
    git(target.parent, "init", "-q")
    git(target.parent, "add", "-A")
    git(target.parent, "commit", "-qm", "plan")
    return target


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def edit_rows(rows: list[list[str]], edits: dict[str, dict[str, str]]) -> list[list[str]]:
    """The rows (export row, header, actions) with cells changed: id -> column -> text."""
    header = rows[1]
    changed = [list(row) for row in rows]
    for row in changed[2:]:
        for column, text in edits.get(row[header.index("id")], {}).items():
            row[header.index(column)] = text
    return changed


def save_as_excel(rows: list[list[str]], path: Path, *, quote_first: bool = False) -> Path:
    """The rows as Excel's "CSV (Comma delimited)" saves them on Windows: Windows-1252, CRLF,
    every row padded with commas to the width of the sheet (the export row too); with
    `quote_first`, the export row's cell in quotes, as some spreadsheets write it."""
    width = max(len(row) for row in rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([*row, *[""] * (width - len(row))] for row in rows)
    text = buffer.getvalue()
    if quote_first:
        text = f'"{rows[0][0]}"' + text.removeprefix(rows[0][0])
    path.write_bytes(text.encode("cp1252"))
    return path


def export(run: Run, folder: Path, path: Path) -> None:
    result = run("export", folder, "-o", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def head_sha(folder: Path) -> str:
    return git(folder.parent, "rev-parse", "HEAD").strip()


# --- what export writes ---------------------------------------------------------------------


def test_the_export_row_names_the_commit_and_the_time(
    run: Run, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680256800")  # 2023-03-31 10:00 UTC
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = read_csv(tracker)
    from bragcli import __version__

    assert rows[0] == [
        f"# bragcli export | version {__version__} | revision {head_sha(folder)} | "
        "exported 2023-03-31T10:00:00Z | do not edit this row"
    ]
    assert rows[1][:3] == ["area", "area title", "id"]
    # on standard output too, and an uncommitted change is said
    (folder / "03-untouched.yaml").write_text(
        (folder / "03-untouched.yaml").read_text().replace("Untouched", "Touched")
    )
    out = run("export", folder, "-o", "-", "--as-of", AS_OF)
    assert f"revision {head_sha(folder)} with uncommitted changes | " in out.stdout


def test_a_plan_outside_git_is_said_to_be(run: Run, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(EXAMPLES / "edit", plans)
    out = run("export", plans, "-o", "-", "--as-of", AS_OF)
    assert out.stdout.lstrip("\ufeff").startswith("# bragcli export | version ")
    assert " | revision none | exported " in out.stdout.splitlines()[0]


def test_a_plain_import_skips_the_export_row(run: Run, folder: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    result = run("import", tracker, "-o", tmp_path / "new", "--organisation", "Council")
    assert result.exit_code == 0, result.output
    assert "imported 5 actions in 3 areas" in result.stderr
    assert "row" not in result.stderr  # no row was a problem
    again = run("status", tmp_path / "new", "--format", "json", "--as-of", AS_OF)
    assert again.exit_code == 0, again.output


# --- the three-way update from a CSV ---------------------------------------------------------


@pytest.mark.parametrize("quote_first", [False, True], ids=["padded", "quoted-and-padded"])
def test_a_csv_saved_by_excel_detects_a_conflict(
    run: Run, folder: Path, tmp_path: Path, quote_first: bool
) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    exported, sha = read_csv(tracker), head_sha(folder)
    # the plan moves on after the export: the board rates 1.1 red, moves 1.2's deadline
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    assert run("set", "1.2", "--deadline", "May 2023", "--plan", folder,
               "--as-of", AS_OF).exit_code == 0  # fmt: skip
    git(folder.parent, "commit", "-qam", "board")
    # the lead rates 1.1 blue (a conflict) and 1.3 green (no conflict); 1.2 still says March
    lead = {"status": "Green", "progress": "Café opened – £5 budget"}  # Windows-1252 letters
    edited = save_as_excel(
        edit_rows(exported, {"1.1": {"status": "Blue"}, "1.3": lead}),
        tmp_path / "edited.csv",
        quote_first=quote_first,
    )
    assert edited.read_bytes().startswith(b'"# bragcli' if quote_first else b"# bragcli")
    assert b",,,\r\narea,area title," in edited.read_bytes()
    before = snapshot(folder)
    result = run("import", edited, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "edited.csv read as Windows-1252" in result.stderr
    assert f"edited.csv was exported from commit {sha[:12]} on " in result.stderr
    assert (
        "conflict: row 3: action '1.1': status was 'green' when exported; the plan now says "
        "'red', the sheet 'blue'"
    ) in result.stderr
    assert "1 action not changed because of conflicts (1.1)" in result.stderr
    after = snapshot(folder)
    assert [n for n in after if after[n] != before[n]] == ["01-comments.yaml"]
    text = after["01-comments.yaml"].decode()
    assert "status: red # the rating" in text  # the plan's 1.1, left alone
    assert "deadline: May 2023" in text  # the plan's newer deadline was not a change
    assert "    status: green\n" in text  # 1.3 taken from the sheet
    assert "      - Café opened – £5 budget\n" in text

    theirs = run("import", edited, "--update", "-o", folder, "--theirs", "--as-of", AS_OF)
    assert theirs.exit_code == 0, theirs.output
    assert "status: blue # the rating" in (folder / "01-comments.yaml").read_text()


def test_ours_keeps_the_plans_value(run: Run, folder: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    git(folder.parent, "commit", "-qam", "board")
    edited = save_as_excel(
        edit_rows(read_csv(tracker), {"1.1": {"status": "Amber", "impact": "Red"}}),
        tmp_path / "edited.csv",
    )
    result = run("import", edited, "--update", "-o", folder, "--ours", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "status: red # the rating\n    impact: red\n" in (folder / "01-comments.yaml").read_text()
    )


def test_a_csv_without_the_row_is_a_two_way_update_said_once(
    run: Run, folder: Path, tmp_path: Path
) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = edit_rows(read_csv(tracker), {"1.3": {"status": "Green"}})
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    git(folder.parent, "commit", "-qam", "board")
    plain = save_as_excel(rows[1:], tmp_path / "plain.csv")
    result = run("import", plain, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    said = (
        "plain.csv does not say which commit it came from (no About sheet or export row); the "
        "sheet's value is taken wherever it differs from the plan"
    )
    assert result.stderr.count(said) == 1
    assert "conflict" not in result.stderr
    text = (folder / "01-comments.yaml").read_text()
    assert "status: green # the rating" in text  # the sheet's 1.1, with no base to tell
    assert "    status: green\n" in text


def test_a_libreoffice_saved_csv_keeps_the_row(run: Run, folder: Path, tmp_path: Path) -> None:
    """Open the CSV in LibreOffice (UTF-8, the import dialog's defaults), save it as a
    workbook, edit it, save it as CSV again: the row survives, padded, and the update is
    three-way."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    openpyxl = pytest.importorskip("openpyxl")
    work = tmp_path / "lo"
    work.mkdir()
    export(run, folder, work / "tracker.csv")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"

    def convert(*args: str) -> None:
        done = subprocess.run([soffice, profile, "--headless", *args, "--outdir", str(work)],
                              capture_output=True, text=True, timeout=180, cwd=work)  # fmt: skip
        assert done.returncode == 0, done.stderr

    convert("--infilter=CSV:44,34,76,1,,0,false,false", "--convert-to", "xlsx",
            str(work / "tracker.csv"))  # fmt: skip
    if not (work / "tracker.xlsx").exists():  # soffice exits 0 when it cannot load the file
        pytest.skip("LibreOffice cannot open spreadsheets here: Calc is not installed")
    book = openpyxl.load_workbook(work / "tracker.xlsx")
    sheet = book.active
    assert str(sheet["A1"].value).startswith("# bragcli export | version ")
    header = [c.value for c in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if str(row[header.index("id")].value) == "1.3":
            row[header.index("status")].value = "Green"
    book.save(work / "edited.xlsx")
    convert("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", str(work / "edited.xlsx"))
    assert (work / "edited.csv").exists(), "LibreOffice opened the CSV but not the workbook"
    saved = (work / "edited.csv").read_text(encoding="utf-8-sig")
    first = saved.splitlines()[0]
    assert first.startswith('"# bragcli export | version ') or first.startswith("# bragcli")
    assert first.endswith(",,,")  # padded to the width of the sheet
    assert run("set", "1.1", "--status", "red", "--plan", folder, "--as-of", AS_OF).exit_code == 0
    git(folder.parent, "commit", "-qam", "board")
    for name in ("edited.csv", "edited.xlsx"):  # the workbook has no About sheet: the row says
        result = run("import", work / name, "--update", "-o", folder, "--dry-run",
                     "--as-of", AS_OF)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"{name} was exported from commit" in result.stderr
        assert "1.3: status" in result.stderr
        assert "1.1" not in result.stderr  # the plan's red stays: the sheet left it as exported


def test_a_misread_character_set_is_refused(run: Run, folder: Path, tmp_path: Path) -> None:
    """A UTF-8 CSV opened as Western text and saved again begins with 'ï»¿' and has every
    accented letter wrong: refused, saying what to do."""
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    misread = tmp_path / "misread.csv"
    misread.write_bytes(tracker.read_bytes().decode("latin-1").encode("utf-8"))
    before = snapshot(folder)
    result = run("import", misread, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "a UTF-8 file was opened as Western (Windows-1252) text" in result.stderr
    assert "choosing the character set UTF-8" in result.stderr
    assert snapshot(folder) == before


def test_a_semicolon_csv_with_the_row_unpadded(run: Run, folder: Path, tmp_path: Path) -> None:
    """A European spreadsheet saves with ';'; the export row, which has no ';', does not
    fool the delimiter sniffing."""
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = edit_rows(read_csv(tracker), {"1.3": {"status": "Green"}})
    buffer = io.StringIO(newline="")
    buffer.write(rows[0][0] + "\r\n")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows[1:])
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", semicolons, "--update", "-o", folder, "--dry-run", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "semicolons.csv was exported from commit" in result.stderr
    assert "1.3: status" in result.stderr


# --- hostile rows ---------------------------------------------------------------------------


def _row(revision: str = SHA, exported: str = "2023-01-09T10:00:00Z") -> str:
    return (
        f"# bragcli export | version 0.1.0 | revision {revision} | exported {exported} | "
        "do not edit this row"
    )


HOSTILE_ROWS = {
    "escape": (_row() + " \x1b[2J\x1b]0;owned\x07", "holds a control or invisible character"),
    "newline": (_row().replace(" | exported", "\n| exported"), "holds a line break"),
    "option": (_row("--output=/tmp/owned"), "revision '--output=/tmp/owned' is not a commit id"),
    "expression": (_row("HEAD~1"), "revision 'HEAD~1' is not a commit id (4 to 40 hex digits)"),
    "injection": (_row("1a2b; rm -rf ~"), "revision '1a2b; rm -rf ~' is not a commit id"),
    "unknown-part": (_row() + " | owner me", "'owner me' is not a part of it"),
    "too-short": (_row("abc"), "revision 'abc' is not a commit id"),
    "future": (
        _row(exported="2999-01-01T00:00:00Z"),
        "export time '2999-01-01T00:00:00Z' is in the future",
    ),
    "not-a-time": (_row(exported="yesterday"), "export time 'yesterday' is not a time"),
    "no-offset": (_row(exported="2023-01-09T10:00:00"), "has no offset from UTC"),
    "no-revision": ("# bragcli export | exported 2023-01-09T10:00:00Z", "it has no revision"),
    "twice-a-revision": (_row() + f" | revision {SHA}", "gives the revision twice"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_ROWS))
def test_a_hostile_row_is_ignored_with_a_warning(
    run: Run, folder: Path, tmp_path: Path, name: str
) -> None:
    text, message = HOSTILE_ROWS[name]
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = edit_rows(read_csv(tracker), {"1.3": {"status": "Green"}})
    rows[0] = [text.replace("4898e2aa060da3143083ba80acea338c275a979d", head_sha(folder))]
    hostile = tmp_path / "hostile.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    hostile.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("import", hostile, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    warning = next(line for line in result.stderr.splitlines() if "export row" in line)
    assert warning.startswith("brag import: ")
    assert "hostile.csv: row 1, bragcli's export row, is not used: " in warning
    assert message in warning
    assert warning.endswith("; the sheet's value is taken wherever it differs from the plan")
    assert "1.3: status" in result.stderr  # the rest of the sheet still imports, two-way
    assert not Path("/tmp/owned").exists()


def test_a_revision_the_repository_lacks(run: Run, folder: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = read_csv(tracker)
    rows[0] = [_row("0123456789abcdef0123456789abcdef01234567")]
    stray = save_as_excel(rows, tmp_path / "stray.csv")
    result = run("import", stray, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "stray.csv was exported from commit 0123456789ab, which this repository lacks (another "
        "copy of the plan?); the sheet's value is taken"
    ) in result.stderr


def test_a_plan_folder_outside_git(run: Run, folder: Path, tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    elsewhere = tmp_path / "copy"
    shutil.copytree(folder, elsewhere)
    result = run("import", tracker, "--update", "-o", elsewhere, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "is not in git; the sheet's value is taken wherever it differs" in result.stderr


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("twice", "rows 1 and 4 are each bragcli's export row"),
        ("not-first", "row 4 is bragcli's export row, which belongs first, above the header"),
        ("with-cells", "row 1, bragcli's export row, has other cells filled in (from column C)"),
    ],
)
def test_a_misplaced_row_is_neither_used_nor_imported(
    run: Run, folder: Path, tmp_path: Path, where: str, message: str
) -> None:
    tracker = tmp_path / "tracker.csv"
    export(run, folder, tracker)
    rows = read_csv(tracker)
    if where == "twice":
        rows.insert(3, list(rows[0]))
    elif where == "not-first":
        rows.insert(3, rows.pop(0))
    else:
        rows[0] = [rows[0][0], "", "a note"]
    sheet = save_as_excel(rows, tmp_path / "sheet.csv")
    result = run("import", sheet, "--update", "-o", folder, "--dry-run", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert f"sheet.csv: {message}" in result.stderr
    assert "nothing to change" in result.stderr  # the row was not read as an action
    plain = run("import", sheet, "-o", tmp_path / "new", "--organisation", "Council")
    assert plain.exit_code == 0, plain.output
    assert message in plain.stderr and "imported 5 actions" in plain.stderr


def test_a_hostile_about_sheet_is_ignored_too(run: Run, folder: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    tracker = tmp_path / "tracker.xlsx"
    export(run, folder, tracker)
    book = openpyxl.load_workbook(tracker)
    about = book["About"]
    for row in about.iter_rows():
        if row[0].value == "git revision":
            row[1].value = "--upload-pack=touch /tmp/owned"
    book.save(tracker)
    result = run("import", tracker, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "tracker.xlsx: the About sheet is not used: its revision '--upload-pack=touch /tmp/owned'"
        " is not a commit id"
    ) in result.stderr
    assert not Path("/tmp/owned").exists()


# --- the pure parts ---------------------------------------------------------------------------


def test_the_row_reads_back_as_written() -> None:
    made = Provenance(SHA, False, NOW, "0.1.0")
    assert parse_export_row(export_row(made), NOW) == made
    dirty = Provenance(SHA, True, NOW, "0.1.0")
    assert parse_export_row(export_row(dirty), NOW) == dirty
    outside = Provenance("", False, NOW, "0.1.0")
    assert parse_export_row(export_row(outside), NOW) == outside
    # a clock a few hours ahead is another computer's; a day ahead is not
    ahead = Provenance(SHA, False, datetime(2023, 3, 31, 20, 0, tzinfo=UTC), "0.1.0")
    assert parse_export_row(export_row(ahead), NOW) == ahead
    with pytest.raises(ValueError, match="in the future"):
        parse_export_row(export_row(ahead), datetime(2023, 3, 30, 12, 0, tzinfo=UTC))


def test_upper_case_and_abbreviated_ids_are_commit_ids() -> None:
    assert parse_export_row(_row(SHA.upper()), NOW).revision == SHA
    assert parse_export_row(_row("4898e2a"), NOW).revision == "4898e2a"
    assert parse_export_row(_row("a" * 64), NOW).revision == "a" * 64  # a SHA-256 repository
    with pytest.raises(ValueError, match="not a commit id"):
        parse_export_row(_row("g" * 40), NOW)
    with pytest.raises(ValueError, match="not a commit id"):
        parse_export_row(_row("a" * 41), NOW)


def test_the_about_sheet_is_checked_alike() -> None:
    about = {"git revision": SHA, "exported at": "2023-01-09T10:00:00+00:00",
             "plan changed since that commit": "no", "bragcli version": "0.1.0"}  # fmt: skip
    assert parse_about(about, NOW).revision == SHA
    with pytest.raises(ValueError, match="not yes or no"):
        parse_about({**about, "plan changed since that commit": "perhaps"}, NOW)
    with pytest.raises(ValueError, match="control character"):
        parse_about({**about, "bragcli version": "0.1\x1b[2J"}, NOW)


def test_locate_keeps_row_numbers() -> None:
    rows = [[], [_row()], ["id", "action"], ["1.1", "x"]]
    found = locate(rows)
    assert found.found == (2, _row())
    assert found.rows == [[], [], ["id", "action"], ["1.1", "x"]]
    assert found.warnings == []
    assert locate([["id"], ["1.1"]]).found is None
