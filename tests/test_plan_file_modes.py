"""A plan file that `brag set`, `brag import --update` or `brag import --force` rewrites keeps
its permission bits (0640 stays 0640, 0755 stays 0755) and its group, and no plan file is
ever written through a symbolic link."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from bragcli.outputs import write_plan_files
from bragcli.problems import BragError
from conftest import EXAMPLES, Run

AS_OF = "2023-01-10"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "plans"
    shutil.copytree(EXAMPLES / "edit", target)
    return target


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.mark.parametrize("bits", [0o640, 0o755, 0o600, 0o444], ids=oct)
def test_brag_set_keeps_the_files_permission_bits(run: Run, folder: Path, bits: int) -> None:
    area = folder / "01-comments.yaml"
    area.chmod(bits)
    other = folder / "02-bom-crlf.yaml"
    other.chmod(0o604)
    result = run("set", "1.1", "--status", "amber", "--plan", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "status: amber # the rating" in area.read_text()
    assert mode(area) == bits
    assert mode(other) == 0o604


def test_import_update_keeps_them_too(run: Run, folder: Path, tmp_path: Path) -> None:
    (folder / "01-comments.yaml").chmod(0o640)
    (folder / "02-bom-crlf.yaml").chmod(0o755)
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "area,id,action,lead,deadline,status\n"
        "1,1.3,An action with nothing optional,Head of Service,,amber\n"
        "2,2.1,Windows action,Head of Service,June 2023,amber\n",
        encoding="utf-8",
    )
    result = run("import", sheet, "--update", "-o", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "    status: amber\n" in (folder / "01-comments.yaml").read_text()
    assert (mode(folder / "01-comments.yaml"), mode(folder / "02-bom-crlf.yaml")) == (
        0o640,
        0o755,
    )


def test_a_new_file_takes_the_default_and_force_keeps_the_old_bits(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    old = os.umask(0o027)
    try:
        write_plan_files(folder, {"01-a.yaml": b'id: "1"\ntitle: A\n'}, replace=False)
        assert mode(folder / "01-a.yaml") == 0o640  # 0666 less the umask, as any new file
        (folder / "01-a.yaml").chmod(0o604)
        write_plan_files(folder, {"01-a.yaml": b'id: "1"\ntitle: B\n'}, replace=True)
    finally:
        os.umask(old)
    assert mode(folder / "01-a.yaml") == 0o604
    assert (folder / "01-a.yaml").read_bytes() == b'id: "1"\ntitle: B\n'
    assert sorted(p.name for p in folder.iterdir()) == ["01-a.yaml"]  # no temporary left


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_the_group_is_kept(run: Run, folder: Path) -> None:
    area = folder / "01-comments.yaml"
    os.chown(area, -1, 4321)  # a group other than the user's own
    area.chmod(0o640)
    result = run("set", "1.1", "--status", "amber", "--plan", folder, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert os.lstat(area).st_gid == 4321
    assert mode(area) == 0o640


def test_a_link_is_never_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_bytes(b"kept\n")
    elsewhere.chmod(0o600)
    (folder / "01-a.yaml").symlink_to(elsewhere)
    with pytest.raises(BragError, match=r"is a symbolic link .*never writes a plan file"):
        write_plan_files(folder, {"01-a.yaml": b'id: "1"\ntitle: A\n'}, replace=True)
    assert elsewhere.read_bytes() == b"kept\n" and mode(elsewhere) == 0o600
    assert (folder / "01-a.yaml").is_symlink()
    # a dangling link too, and nothing of the other files is written
    (folder / "02-b.yaml").symlink_to(tmp_path / "missing.yaml")
    with pytest.raises(BragError, match="symbolic link"):
        write_plan_files(folder, {"03-c.yaml": b"x: 1\n", "02-b.yaml": b"x: 1\n"}, replace=True)
    assert not (tmp_path / "missing.yaml").exists() and not (folder / "03-c.yaml").exists()


def test_set_through_a_link_in_the_plan_folder_is_refused(run: Run, folder: Path) -> None:
    """A plan file that links to another file of the plan folder (both load, as in a work
    tree) is not written through: the file it names keeps its bytes and its mode."""
    target = folder / "store" / "01.yaml"
    target.parent.mkdir()
    shutil.move(folder / "01-comments.yaml", target)
    target.chmod(0o640)
    (folder / "01-comments.yaml").symlink_to(target)
    kept = target.read_bytes()
    result = run("set", "1.1", "--status", "amber", "--plan", folder, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "is a symbolic link: bragcli never writes a plan file through a link" in result.stderr
    assert target.read_bytes() == kept and mode(target) == 0o640
