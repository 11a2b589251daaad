"""Builds split across CI runners: the shards plus the assembly equal one build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_fixture, run_pamphlets


@pytest.mark.slow
def test_shards_plus_assembly_give_the_same_outputs_as_one_build(tmp_path: Path) -> None:
    whole = copy_fixture("mini", tmp_path / "whole")
    result = run_pamphlets(whole, "build", "--no-offline")
    assert result.returncode == 0, result.stderr

    runners = []
    for number in (1, 2, 3):
        runner = copy_fixture("mini", tmp_path / f"runner-{number}")
        result = run_pamphlets(runner, "build", "--shard", f"{number}/3")
        assert result.returncode == 0, result.stderr
        assert not (runner / "site").exists()  # a shard makes PDFs only
        runners.append(runner)
    rendered = [sorted(p.name for p in (r / ".cache/pdf").glob("*.pdf")) for r in runners]
    assert all(rendered) and len({name for names in rendered for name in names}) == sum(
        len(names) for names in rendered
    )  # every PDF in exactly one share

    assembly = copy_fixture("mini", tmp_path / "assembly")
    for runner in runners:
        shutil.copytree(runner / ".cache/pdf", assembly / ".cache/pdf", dirs_exist_ok=True)
    result = run_pamphlets(assembly, "build", "--assemble", "--no-offline")
    assert result.returncode == 0, result.stderr
    assert "PDFs: 0 rendered" in result.stdout

    def outputs(project: Path) -> dict[str, bytes]:
        site = project / "site"
        return {p.relative_to(site).as_posix(): p.read_bytes()
                for p in (site / "pdf").rglob("*") if p.is_file()}  # fmt: skip

    assert outputs(assembly) == outputs(whole)
    manifest = json.loads((assembly / "site/downloads.json").read_text())
    assert manifest == json.loads((whole / "site/downloads.json").read_text())


def test_assembly_without_the_shards_fails_clearly(mini: Path) -> None:
    shutil.rmtree(mini / ".cache")
    (mini / "site").mkdir()
    (mini / "site/index.html").write_text("previous")
    result = run_pamphlets(mini, "build", "--assemble")
    assert result.returncode == 1
    assert "10 PDFs are in no shard's output" in result.stderr
    assert (mini / "site/index.html").read_text() == "previous"
