"""Every engine gives the local engine's findings: a pool of processes (--jobs) and a
Dask cluster (--engine dask, here a LocalCluster of two worker processes)."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from checker import engines
from checker.cli import main

from conftest import REPO

CORPUS = [str(REPO / "fixtures" / "sources"),
          *(str(p / "sources") for p in sorted((REPO / "fixtures" / "stories").iterdir()))]


def check_json(*extra: str) -> dict:
    result = CliRunner().invoke(main, ["check", *CORPUS, "--rules", str(REPO / "rules"),
                                       "--format", "json", "--fail-on", "never", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def local() -> dict:
    return check_json("--jobs", "1")


def test_a_pool_of_processes_gives_the_same_report(local, monkeypatch):
    monkeypatch.setattr(engines, "MIN_FILES", 0)  # the fixtures are small: force the pool
    monkeypatch.setattr(engines, "MIN_CLAIMS", 0)
    assert check_json("--jobs", "2") == local


def test_the_pool_runs_in_other_processes_and_keeps_the_order():
    with engines.Local(2) as engine:
        assert engine.map(abs, [-1, -2, 3, -4]) == [1, 2, 3, 4]
        pids = set(engine.map(_pid, list(range(8))))
    assert os.getpid() not in pids


def _pid(_) -> int:
    return os.getpid()


def test_dask_without_a_scheduler_is_a_one_line_error():
    result = CliRunner().invoke(main, ["check", CORPUS[0], "--engine", "dask"])
    assert result.exit_code == 2
    assert "--scheduler" in result.output and result.output.count("\n") == 1


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("CI"):
        import dask.distributed as distributed  # CI must run the comparison
    else:
        distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as running:
        yield running.scheduler_address


def test_dask_gives_exactly_the_local_findings(local, cluster):
    remote = check_json("--engine", "dask", "--scheduler", cluster)
    assert remote["findings"] == local["findings"]
    assert remote == local


def test_dask_nightly_and_draft_run_on_the_cluster(tmp_path, cluster):
    result = CliRunner().invoke(main, ["nightly", CORPUS[0], "--out", str(tmp_path / "out"),
                                       "--engine", "dask", "--scheduler", cluster,
                                       "--triage", str(tmp_path / "triage.yaml")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["draft", str(REPO / "fixtures" / "drafts" / "planted-flood.md"),
                                       "--against", str(REPO / "fixtures" / "stories" / "river-flood" / "sources"), "--rules", str(REPO / "rules"),
                                       "--index", str(tmp_path / "index.sqlite"),
                                       "--engine", "dask", "--scheduler", cluster])
    assert result.exit_code == 1 and "planted-flood.md:14:" in result.stdout
