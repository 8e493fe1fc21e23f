"""Deploying the service locally: 3 broker nodes, the plan, pods, endpoints and their DC/OS names,
the HAProxy entry point, and the CLI views of all of it."""
import json

from conftest import base_options, wait_for
from mqtt_probe import round_trip, self_round_trip


def test_deploys_three_nodes_serially_and_serves_mqtt_on_each(local_service):
    service = local_service()
    service.wait_deployed()
    code, plan = service.plan()
    assert code == 200
    steps = plan["phases"][0]["steps"]
    assert [s["name"] for s in steps] == ["node-0:[broker]", "node-1:[broker]", "node-2:[broker]"]
    assert all(s["status"] == "COMPLETE" for s in steps)

    code, pods = service.get_json("/v1/pod")
    assert code == 200 and pods == ["node-0", "node-1", "node-2"]
    tasks = service.tasks()
    assert sorted(tasks) == ["node-0-broker", "node-1-broker", "node-2-broker"]
    assert all(t["status"] == "RUNNING" for t in tasks.values())

    ports = service.node_ports()
    assert len(set(ports)) == 3
    for port in ports:
        assert round_trip(port) == "hello"
    # The progress the scheduler printed while deploying.
    log = service.read_log()
    assert "deploy: node-0:[broker] STARTING" in log
    assert "deploy: COMPLETE" in log


def test_endpoints_carry_the_dcos_names(local_service):
    service = local_service()
    service.wait_deployed()
    code, names = service.get_json("/v1/endpoints")
    assert code == 200
    assert "mqtt" in names and names == sorted(names)
    mqtt = service.endpoint("mqtt")
    assert len(mqtt["address"]) == 3
    assert all(a.startswith("127.0.0.1:") for a in mqtt["address"])
    ports = [a.rsplit(":", 1)[1] for a in mqtt["address"]]
    assert mqtt["dns"] == [f"ternmq-{i}.ternmq.autoip.dcos.thisdcos.directory:{p}" for i, p in enumerate(ports)]
    assert mqtt["vip"] == "mqtt.ternmq.l4lb.thisdcos.directory:1883"
    assert mqtt["srv"] == [f"_mqtt._ternmq-{i}._tcp.ternmq.mesos." for i in range(3)]
    assert service.get("/v1/endpoints/websocket")[0] == 404  # not enabled

    out = service.cli("endpoints", "mqtt")
    assert json.loads(out.stdout)["vip"] == mqtt["vip"]
    # The run command's report: each endpoint with the DC/OS name it stands for.
    log = service.read_log()
    assert f"127.0.0.1:{service.entry_port}" in log
    assert "mqtt.ternmq.l4lb.thisdcos.directory:1883" in log
    assert "_mqtt._ternmq-0._tcp.ternmq.mesos." in log


def test_the_haproxy_entry_point_reaches_the_nodes(local_service):
    service = local_service()
    service.wait_deployed()
    # Until the nodes cluster, a subscriber and a publisher may land on different nodes: one
    # connection does both. Several connections exercise the balancing.
    for _ in range(4):
        assert self_round_trip(service.entry_port) == "hello"


def test_optional_listeners_and_a_foldered_name(local_service):
    options = base_options(count=1, service={"name": "/prod/mqtt"},
                           listeners={"websocket": {"enabled": True}})
    service = local_service(options)
    service.wait_deployed()
    code, names = service.get_json("/v1/endpoints")
    assert "websocket" in names
    ws = service.endpoint("websocket")
    assert ws["vip"] == "websocket.prodmqtt.l4lb.thisdcos.directory:8083"
    assert ws["srv"] == ["_websocket._prodmqtt-0._tcp.prodmqtt.mesos."]
    assert service.endpoint("mqtt")["dns"][0].startswith("prodmqtt-0.prodmqtt.autoip.dcos.thisdcos.directory:")


def test_cli_plan_and_pod_views(local_service):
    service = local_service()
    service.wait_deployed()
    out = service.cli("plan", "status", "deploy")
    assert "deploy (serial strategy) (COMPLETE)" in out.stdout
    assert "node-2:[broker] (COMPLETE)" in out.stdout
    out = service.cli("pod", "list")
    assert json.loads(out.stdout) == ["node-0", "node-1", "node-2"]
    info = json.loads(service.cli("pod", "info", "node-1").stdout)
    assert info[0]["info"]["name"] == "node-1-broker"
    assert service.cli("pod", "info", "node-9", check=False).returncode == 1
    code, health = service.get_json("/v1/health")
    assert code == 200
