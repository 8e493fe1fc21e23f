"""What the scheduler does when things die: a killed broker is relaunched in place, a restarted
scheduler re-attaches to the running brokers without relaunching them, and the pod restart and
replace commands."""
import os
import signal

from conftest import base_options, wait_for
from mqtt_probe import round_trip


def test_a_killed_node_is_relaunched_in_place(local_service):
    service = local_service()
    service.wait_deployed()
    before = service.tasks()["node-1-broker"]["id"]
    port = service.node_ports()[1]
    pid = service.broker_pid("node-1-broker")
    assert pid is not None
    os.kill(pid, signal.SIGKILL)

    def relaunched():
        task = service.tasks().get("node-1-broker")
        return task and task["id"] != before and task["status"] == "RUNNING"
    wait_for(relaunched, timeout=60, what="node-1 to be relaunched")
    code, recovery = service.get_json("/v1/plans/recovery")
    assert [p["name"] for p in recovery["phases"]] == ["node-1"]
    wait_for(lambda: service.get_json("/v1/plans/recovery")[1]["status"] == "COMPLETE", what="recovery")
    assert service.node_ports()[1] == port, "the relaunch keeps the reserved port"
    assert round_trip(port) == "hello"
    assert service.broker_pid("node-1-broker") not in (None, pid)


def test_a_restarted_scheduler_reattaches_without_relaunching(local_service):
    service = local_service()
    service.wait_deployed()
    ids = {name: t["id"] for name, t in service.tasks().items()}
    pids = {name: service.broker_pid(name) for name in ids}
    ports = service.node_ports()
    service.stop()
    # The brokers keep serving while the scheduler is away.
    assert round_trip(ports[0]) == "hello"
    service.start()
    service.wait_deployed()
    assert {name: t["id"] for name, t in service.tasks().items()} == ids
    assert {name: service.broker_pid(name) for name in ids} == pids
    assert "launched" not in service.read_log()


def test_pod_restart_keeps_data_and_replace_starts_fresh(local_service):
    service = local_service(base_options(count=2))
    service.wait_deployed()
    before = service.tasks()["node-0-broker"]["id"]
    out = service.cli("pod", "restart", "node-0")
    assert '"node-0-broker"' in out.stdout
    wait_for(lambda: service.tasks()["node-0-broker"]["id"] != before and
             service.tasks()["node-0-broker"]["status"] == "RUNNING", timeout=60, what="restart")
    restarted = service.tasks()["node-0-broker"]["id"]
    out = service.cli("pod", "replace", "node-0")
    wait_for(lambda: service.tasks()["node-0-broker"]["id"] != restarted and
             service.tasks()["node-0-broker"]["status"] == "RUNNING", timeout=60, what="replace")
    assert service.cli("pod", "restart", "node-5", check=False).returncode == 1
