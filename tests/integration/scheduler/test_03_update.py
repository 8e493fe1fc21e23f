"""Configuration updates: an options change rolls the nodes one at a time while a client keeps
publishing through the HAProxy entry point; the same change arriving as a changed environment at
a scheduler restart (what Marathon does) rolls too; illegal changes are refused with reasons."""
import json
import subprocess
import time

from conftest import CLI, base_options, wait_for
from mqtt_probe import PublishLoop


def ready_counts_during(service, until):
    """Samples how many nodes run and are ready until `until()` holds."""
    counts = []
    while not until():
        tasks = service.tasks()
        counts.append(sum(1 for t in tasks.values() if t["status"] == "RUNNING"))
        time.sleep(0.1)
    return counts


def test_an_options_change_rolls_the_nodes_serially_without_losing_the_entry_point(local_service, tmp_path):
    service = local_service()
    service.wait_deployed()
    ids = {name: t["id"] for name, t in service.tasks().items()}
    _, target_before = service.get_json("/v1/configurations/targetId")

    new_options = base_options(broker={"max_inflight_messages": 50, "systree_enabled": False})
    options_file = tmp_path / "update.json"
    options_file.write_text(json.dumps(new_options))
    with PublishLoop(service.entry_port) as loop:
        wait_for(lambda: len(loop.acked) > 3, what="publishes through the entry point")
        started = time.time()
        out = service.cli("update", "start", "--options", str(options_file))
        assert "node-0" in out.stdout
        # `update status --watch` follows the roll and returns once the plan completes.
        watch = subprocess.Popen([CLI, "--url", service.url, "update", "status", "--watch"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def rolled():
            code, plan = service.plan()
            return code == 200 and plan["status"] == "COMPLETE" and all(
                t["id"] != ids[name] for name, t in service.tasks().items())
        counts = ready_counts_during(service, rolled)
        finished = time.time()
        watched, _ = watch.communicate(timeout=30)
        time.sleep(1)
    assert watch.returncode == 0
    trees = watched.count("deploy (serial strategy)")
    assert trees >= 3, f"the watch printed {trees} trees:\n{watched}"
    assert "rolling-update (serial strategy) (IN_PROGRESS)" in watched
    assert watched.rstrip().endswith("node-2:[broker] (COMPLETE)")
    assert min(counts) >= 2, f"more than one node down at once: {counts}"
    gap = loop.longest_gap(started, finished)
    print(f"longest gap between acknowledged publishes: {gap:.2f} s; reconnects: {loop.reconnects}")
    assert gap < 10, f"no acknowledged publish through the entry point for {gap:.1f} s"
    _, target_after = service.get_json("/v1/configurations/targetId")
    assert target_after != target_before
    code, configs = service.get_json("/v1/configurations")
    assert set(target_before + target_after) <= set(configs)
    out = service.cli("update", "status")
    assert "rolling-update (serial strategy) (COMPLETE)" in out.stdout


def test_a_changed_environment_at_restart_rolls_the_nodes(local_service):
    service = local_service(base_options(count=2))
    service.wait_deployed()
    ids = {name: t["id"] for name, t in service.tasks().items()}
    service.stop()
    service.write_options(base_options(count=2, broker={"max_inflight_messages": 7, "systree_enabled": False}))
    service.start()
    wait_for(lambda: all(t["id"] != ids[n] for n, t in service.tasks().items()), timeout=90, what="the roll")
    service.wait_deployed()


def test_growing_the_count_leaves_running_nodes_alone(local_service, tmp_path):
    service = local_service(base_options(count=2))
    service.wait_deployed()
    ids = {name: t["id"] for name, t in service.tasks().items()}
    options_file = tmp_path / "grow.json"
    options_file.write_text(json.dumps(base_options(count=3)))
    service.cli("update", "start", "--options", str(options_file))
    wait_for(lambda: "node-2-broker" in service.tasks(), what="node-2")
    service.wait_deployed()
    tasks = service.tasks()
    assert {n: tasks[n]["id"] for n in ids} == ids


def test_illegal_changes_are_refused_with_their_reasons(local_service, tmp_path):
    service = local_service(base_options(count=2))
    service.wait_deployed()
    ids = {name: t["id"] for name, t in service.tasks().items()}
    shrink = tmp_path / "shrink.json"
    shrink.write_text(json.dumps(base_options(count=1, node={"count": 1, "disk": 6000})))
    out = service.cli("update", "start", "--options", str(shrink), check=False)
    assert out.returncode == 1
    assert "pods.node.count" in out.stderr and "shrink" in out.stderr
    assert "volume" in out.stderr
    code, plan = service.plan()
    assert code == 417
    assert any("pods.node.count" in e for e in plan["errors"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"node": {"count": "three"}}))
    out = service.cli("update", "start", "--options", str(bad), check=False)
    assert out.returncode == 1 and "/node/count" in out.stderr
    time.sleep(1)
    assert {n: t["id"] for n, t in service.tasks().items()} == ids, "nothing was touched"
