"""Every engine gives the local engine's findings: a pool of processes (--jobs) and a
Dask cluster (--engine dask, here a LocalCluster of two worker processes)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from checker import engines
from checker.cli import main
from checker.kinds import KINDS

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


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_placing_and_rules_shared_with_forked_children_give_the_same_report(local, monkeypatch):
    monkeypatch.setattr(engines, "MIN_FORK_CLAIMS", 0)  # the fixtures are small: force them
    assert check_json("--jobs", "2") == local
    assert check_json("--jobs", "3") == local  # two children taking rules


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_the_check_forks_only_once_the_pool_and_its_threads_are_gone(local, monkeypatch):
    """A fork copies no thread but the caller: a pool thread holding a lock then would
    leave the child waiting for it forever (Python 3.12+ warns of it)."""
    monkeypatch.setattr(engines, "MIN_FILES", 0)  # extract in the pool, then fork
    monkeypatch.setattr(engines, "MIN_FORK_CLAIMS", 0)
    threads_at_fork = []
    fork = os.fork

    def counting_fork() -> int:
        threads_at_fork.append(threading.active_count())
        return fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    assert check_json("--jobs", "2") == local
    assert threads_at_fork and set(threads_at_fork) == {1}


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_rules_a_failed_child_took_are_run_here(local, monkeypatch):
    monkeypatch.setattr(engines, "MIN_FORK_CLAIMS", 0)
    here = os.getpid()
    for module in KINDS.values():
        def only_here(params, ctx, evaluate=module.evaluate):
            if os.getpid() != here:
                raise RuntimeError("not in the parent")
            return evaluate(params, ctx)
        monkeypatch.setattr(module, "evaluate", only_here)
    assert check_json("--jobs", "2") == local


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_a_forked_child_holds_no_inherited_descriptor(tmp_path):
    """The nightly lock's descriptor among them: a child keeping it would keep the lock
    after a kill -9 of its parent."""
    fd = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    try:
        child = engines.Forked(lambda: [_is_open(fd)])
        assert child.receive() is False and _is_open(fd)
    finally:
        os.close(fd)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_a_forked_child_dies_with_its_parent():
    script = ("import os, signal, sys, time\n"
              "from checker import engines\n"
              "child = engines.Forked(lambda: time.sleep(60))\n"
              "print(child.pid, flush=True)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    parent = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    pid = int(parent.stdout)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has ended: its parent is gone, init reaps it)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not engines.can_fork(), reason="forked children are Linux-only")
def test_forked_work_that_fails_is_done_here():
    child = engines.Forked(lambda: (1 / n for n in (1, 0)))
    assert child.receive() == 1
    with pytest.raises(EOFError):
        child.receive()
    here = os.getpid()

    def fails_elsewhere(item: list) -> int:
        if os.getpid() != here:
            raise RuntimeError("not in the parent")
        return len(item)

    assert engines.forked_map(fails_elsewhere, [[1], [1, 2, 3], [], [1, 2]]) == [1, 3, 0, 2]


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
