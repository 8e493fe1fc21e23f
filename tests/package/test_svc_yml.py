"""svc.yml rendered with the environment the Marathon app gives the scheduler, for every option
set: valid YAML with the node pod, its resources, volume, ports with VIPs, config template,
checks and the serial deploy and update plans."""
import json
import re

import pytest

import package_util as u

SETS = sorted(u.option_sets())
LISTENERS = {  # option key -> (port name, env key, default VIP port)
    "mqtt_tls": ("mqtt-tls", "PORT_MQTT_TLS", 8883),
    "websocket": ("websocket", "PORT_WEBSOCKET", 8083),
    "websocket_tls": ("websocket-tls", "PORT_WEBSOCKET_TLS", 8443),
}


@pytest.fixture(scope="module", params=SETS)
def spec(request):
    options = u.option_sets()[request.param]
    env, text, parsed = u.render_svc(options)
    return u.resolved_options(options), env, text, parsed


def test_service_and_scheduler(spec):
    o, _, _, s = spec
    assert s["name"] == o["service"]["name"]
    assert s["scheduler"]["user"] == o["service"]["user"]
    # An empty service account leaves the principal unset: the scheduler's default applies.
    assert s["scheduler"]["principal"] == (o["service"]["service_account"] or None)
    assert set(s["pods"]) == {"node"}


def test_pod(spec):
    o, _, _, s = spec
    pod = s["pods"]["node"]
    assert pod["count"] == o["node"]["count"]
    # Shrinking would drop nodes with their queued messages: the scheduler refuses it.
    assert "allow-decommission" not in pod
    assert json.loads(pod["placement"]) == json.loads(o["node"]["placement_constraint"])
    assert pod["image"] == u.load_json(u.UNIVERSE / "resource.json")["assets"]["container"]["docker"]["ternmq"]
    assert pod["uris"] == [u.load_json(u.UNIVERSE / "resource.json")["assets"]["uris"]["ternmq-tar-gz"]]
    assert pod["rlimits"] == {"RLIMIT_NOFILE": {"soft": o["node"]["rlimits"]["rlimit_nofile"]["soft"],
                                                "hard": o["node"]["rlimits"]["rlimit_nofile"]["hard"]}}
    assert pod["volume"] == {"path": "ternmq-data", "type": o["node"]["disk_type"], "size": o["node"]["disk"]}
    assert set(pod["tasks"]) == {"broker"}


def test_virtual_network(spec):
    o, _, _, s = spec
    pod = s["pods"]["node"]
    if o["service"]["virtual_network_enabled"]:
        assert pod["networks"] == {o["service"]["virtual_network_name"]:
                                   {"labels": o["service"]["virtual_network_plugin_labels"]}}
    else:
        assert "networks" not in pod


def test_task_resources_and_command(spec):
    o, _, _, s = spec
    task = u.broker_task(s)
    assert task["goal"] == "RUNNING"
    assert task["cpus"] == o["node"]["cpus"]
    assert task["memory"] == o["node"]["mem"]
    assert task["kill-grace-period"] == o["node"]["kill_grace_period"]
    assert task["cmd"].rstrip().endswith("exec ./ternmq --config ternmq.conf")
    assert task["configs"] == {"ternmq": {"template": "ternmq.conf.mustache", "dest": "ternmq.conf"}}
    assert task["discovery"] == {"prefix": o["service"]["name"]}


def test_ports_and_vips(spec):
    o, _, _, s = spec
    ports = u.broker_task(s)["ports"]
    expected = {"mqtt", "cluster", "http"} | {LISTENERS[k][0] for k in LISTENERS if o["listeners"][k]["enabled"]}
    assert set(ports) == expected
    assert ports["mqtt"] == {"port": o["listeners"]["mqtt"]["host_port"], "env-key": "PORT_MQTT", "advertise": True,
                             "vip": {"prefix": "mqtt", "port": 1883}}
    for key, (name, env_key, _) in LISTENERS.items():
        if name in ports:
            assert ports[name] == {"port": o["listeners"][key]["host_port"], "env-key": env_key, "advertise": True,
                                   "vip": {"prefix": name, "port": o["listeners"][key]["vip_port"]}}
    for name in ("cluster", "http"):
        assert ports[name] == {"port": 0, "env-key": f"PORT_{name.upper()}", "advertise": True}
    env_keys = [p["env-key"] for p in ports.values()]
    assert len(env_keys) == len(set(env_keys))


def test_every_vip_port_is_a_listener_option_or_1883():
    for key, (_, _, default_vip) in LISTENERS.items():
        assert u.schema()["properties"]["listeners"]["properties"][key]["properties"]["vip_port"]["default"] == default_vip


def test_checks(spec):
    _, _, _, s = spec
    task = u.broker_task(s)
    for check in ("readiness-check", "health-check"):
        assert "/dev/tcp/127.0.0.1/$PORT_MQTT" in task[check]["cmd"]
    assert task["readiness-check"] == {"cmd": task["readiness-check"]["cmd"], "interval": 2, "delay": 0, "timeout": 10}
    hc = task["health-check"]
    assert (hc["interval"], hc["grace-period"], hc["max-consecutive-failures"]) == (30, 60, 3)


def test_plans_roll_one_node_at_a_time(spec):
    _, _, _, s = spec
    assert set(s["plans"]) == {"deploy", "update"}
    for plan in s["plans"].values():
        assert plan["strategy"] == "serial"
        (phase,) = plan["phases"].values()
        assert phase == {"strategy": "serial", "pod": "node", "steps": [{"default": [["broker"]]}]}


def test_task_env_carries_every_broker_setting(spec):
    _, env, _, s = spec
    task_env = u.broker_task(s)["env"]
    # Every value comes from the scheduler's environment, except where the listeners bind: a
    # constant of the spec (local mode routes its own over it).
    assert task_env.pop("BIND_ADDRESS") == "0.0.0.0"
    for name, value in task_env.items():
        assert value == env[name], name
    conf_names = u.template_names(u.CONF_TEMPLATE.read_text())
    sdk_and_ports = {"TASK_NAME", "FRAMEWORK_HOST"} | {p["env-key"] for p in u.broker_task(s)["ports"].values()} \
        | {v[1] for v in LISTENERS.values()}
    assert conf_names - set(task_env) - sdk_and_ports - {"BIND_ADDRESS"} == set()


def test_html_escaping_changes_nothing(spec):
    # libmstch HTML-escapes {{X}}; every value that could hold & < > " ' / uses {{{X}}}.
    _, env, text, _ = spec
    raw = u.render_env_template(u.SVC_YML.read_text(), env, html_escape=False)
    assert text == raw


def test_every_name_in_svc_yml_is_in_the_scheduler_env():
    _, app = u.render_marathon({})
    available = set(u.scheduler_env(app))
    missing = u.template_names(u.SVC_YML.read_text()) - available
    assert missing == set()


def test_toggles_switch_only_their_own_port():
    base = set(u.broker_task(u.render_svc({})[2])["ports"])
    for key, (name, _, _) in LISTENERS.items():
        ports = set(u.broker_task(u.render_svc({"listeners": {key: {"enabled": True}}})[2])["ports"])
        assert ports - base == {name}


def test_foldered_name_keeps_its_slashes_in_the_spec():
    s = u.render_svc({"service": {"name": "/prod/mqtt"}})[2]
    assert s["name"] == "/prod/mqtt"
    assert u.autoip_host(s["name"]) == "prodmqtt.autoip.dcos.thisdcos.directory"


def test_no_tag_survives_rendering(spec):
    _, _, text, _ = spec
    assert not re.search(r"\{\{(?!artifact-dir\}\})", text)
