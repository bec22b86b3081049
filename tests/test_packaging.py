"""A plain (not editable) install ships the templates and schemas: the report renders from it.

Built and installed offline: the wheel is built with the hatchling of the test environment,
and the new environment borrows the test environment's dependencies through a .pth file, so
no package index is needed. The installed bragcli itself comes only from the wheel.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_PLAN

pytest.importorskip("hatchling", reason="hatchling builds the wheel (test extra)")


def test_wheel_install_renders_the_default_report(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = dist.glob("bragcli-*.whl")
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    env_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # Dependencies from the test environment, after the env's own site-packages.
    (Path(env_site) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")

    plans = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLAN, plans)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import bragcli, sys; print(bragcli.__file__, file=sys.stderr); "
        "from bragcli.cli import main; main()"
    )
    result = subprocess.run(
        [str(python), "-c", script, "report", str(plans), "--as-of", "2022-12-15",
         "--format", "html"],
        cwd=elsewhere, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(str(env)), "bragcli was not imported from the wheel"
    assert "<caption>What each rating means</caption>" in result.stdout
    schema = subprocess.run(
        [str(python), "-c", "from bragcli.cli import main; main()", "schema", "plan"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert '"title": "bragcli plan.yaml"' in schema
    subprocess.run(
        [str(python), "-c", "from bragcli.cli import main; main()", "init", "repo"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert (elsewhere / "repo" / ".github" / "workflows" / "improvement-plan.yml").is_file()
