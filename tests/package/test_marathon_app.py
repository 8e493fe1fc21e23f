"""universe/marathon.json.mustache rendered as Cosmos renders it, for every option set: valid
JSON, a single-instance scheduler app with the SDK labels, the /v1/health check, and one env
variable per option with the value the option asks for."""
import re

import pytest

import package_util as u

SETS = sorted(u.option_sets())

# Every variable the app passes to the scheduler; docs/dcos-service.md documents each.
SERVICE_ENV = {
    "FRAMEWORK_NAME", "SERVICE_NAME", "FRAMEWORK_USER", "FRAMEWORK_PRINCIPAL", "FRAMEWORK_LOG_LEVEL",
    "ENABLE_VIRTUAL_NETWORK", "VIRTUAL_NETWORK_NAME", "VIRTUAL_NETWORK_PLUGIN_LABELS", "TERNMQ_URI", "TERNMQ_IMAGE",
    "NODE_COUNT", "NODE_CPUS", "NODE_MEM", "NODE_DISK", "NODE_DISK_TYPE", "NODE_PLACEMENT", "NODE_KILL_GRACE_PERIOD",
    "NODE_RLIMIT_NOFILE_SOFT", "NODE_RLIMIT_NOFILE_HARD",
    "MQTT_HOST_PORT", "MQTT_TLS_ENABLED", "MQTT_TLS_HOST_PORT", "MQTT_TLS_VIP_PORT",
    "WEBSOCKET_ENABLED", "WEBSOCKET_HOST_PORT", "WEBSOCKET_VIP_PORT",
    "WEBSOCKET_TLS_ENABLED", "WEBSOCKET_TLS_HOST_PORT", "WEBSOCKET_TLS_VIP_PORT",
    "TLS_CERT", "TLS_KEY", "TLS_CA", "PASSWORD_FILE_CONTENTS", "ACL_FILE_CONTENTS",
}
# Broker settings: the ternmq.conf key upper-cased with dots as underscores, value as the file writes it.
BROKER_ENV = {
    "LISTENER_MAX_CONNECTIONS": ("listeners", "max_connections"),
    "LISTENER_ALLOWED_PROTOCOL_VERSIONS": ("listeners", "allowed_protocol_versions"),
    "TLS_REQUIRE_CERTIFICATE": ("tls", "require_client_certificate"),
    "TLS_USE_IDENTITY_AS_USERNAME": ("tls", "use_identity_as_username"),
    "TLS_VERSION": ("tls", "tls_version"),
    "TLS_CIPHERS": ("tls", "ciphers"),
    "ALLOW_ANONYMOUS": ("auth", "allow_anonymous"),
    "ACL_SUBSCRIBE_FAILURE_REASON": ("auth", "acl_subscribe_failure_reason"),
    "LOG_CONSOLE_LEVEL": ("broker", "log_level"),
    "MAX_CLIENT_ID_SIZE": ("broker", "max_client_id_size"),
    "MAX_INFLIGHT_MESSAGES": ("broker", "max_inflight_messages"),
    "MAX_ONLINE_MESSAGES": ("broker", "max_online_messages"),
    "MAX_OFFLINE_MESSAGES": ("broker", "max_offline_messages"),
    "MAX_MESSAGE_SIZE": ("broker", "max_message_size"),
    "MAX_MESSAGE_RATE": ("broker", "max_message_rate"),
    "RETRY_INTERVAL": ("broker", "retry_interval"),
    "PERSISTENT_CLIENT_EXPIRATION": ("broker", "persistent_client_expiration"),
    "QUEUE_TYPE": ("broker", "queue_type"),
    "SHARED_SUBSCRIPTION_POLICY": ("broker", "shared_subscription_policy"),
    "UPGRADE_OUTGOING_QOS": ("broker", "upgrade_outgoing_qos"),
    "RECEIVE_MAX_BROKER": ("broker", "receive_max_broker"),
    "TOPIC_ALIAS_MAX_BROKER": ("broker", "topic_alias_max_broker"),
    "TOPIC_ALIAS_MAX_CLIENT": ("broker", "topic_alias_max_client"),
    "MAX_SESSION_EXPIRY_INTERVAL": ("broker", "max_session_expiry_interval"),
    "MAX_KEEP_ALIVE": ("broker", "max_keep_alive"),
    "SYSTREE_ENABLED": ("broker", "systree_enabled"),
    "SYSTREE_INTERVAL": ("broker", "systree_interval"),
    "DISTRIBUTED_COOKIE": ("broker", "distributed_cookie"),
    "LEVELDB_MAXIMUM_MEMORY_PERCENT": ("broker", "leveldb_maximum_memory_percent"),
}


def conf_value(v) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    return str(v)


@pytest.fixture(scope="module", params=SETS)
def rendered(request):
    options = u.option_sets()[request.param]
    text, app = u.render_marathon(options)
    return request.param, u.resolved_options(options), text, app


def test_renders_to_a_json_object(rendered):
    _, _, text, app = rendered
    assert isinstance(app, dict)
    assert text.isascii()


def test_single_instance_scheduler_app(rendered):
    _, opts, _, app = rendered
    assert app["id"] == opts["service"]["name"]
    assert app["instances"] == 1
    assert app["user"] == opts["service"]["user"]
    assert app["upgradeStrategy"] == {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}
    assert app["container"]["type"] == "MESOS"
    assert app["container"]["docker"]["image"] == u.load_json(u.UNIVERSE / "resource.json")["assets"]["container"]["docker"]["ternmq"]
    assert "ternmq-scheduler" in app["cmd"] and "/opt/ternmq/dcos/svc.yml" in app["cmd"]


def test_sdk_and_admin_router_labels(rendered):
    _, opts, _, app = rendered
    name = opts["service"]["name"]
    assert app["labels"] == {
        "DCOS_COMMONS_API_VERSION": "v1",
        "DCOS_COMMONS_UNINSTALL": "true",
        "DCOS_PACKAGE_FRAMEWORK_NAME": name,
        "MARATHON_SINGLE_INSTANCE_APP": "true",
        "DCOS_SERVICE_NAME": name,
        "DCOS_SERVICE_PORT_INDEX": "0",
        "DCOS_SERVICE_SCHEME": "http",
    }


def test_health_check_and_api_port(rendered):
    _, opts, _, app = rendered
    (check,) = app["healthChecks"]
    assert check["protocol"] == "MESOS_HTTP" and check["path"] == "/v1/health" and check["portIndex"] == 0
    assert check["maxConsecutiveFailures"] == 0  # 2xx/3xx while deploying; never killed for it
    (port,) = app["portDefinitions"]
    assert port["name"] == "api" and port["port"] == 0
    assert port["labels"] == {"VIP_0": f"/api.{opts['service']['name']}:80"}


def test_env_names(rendered):
    _, _, _, app = rendered
    names = set(app["env"])
    names.discard("DCOS_SERVICE_ACCOUNT_CREDENTIAL")
    assert names == SERVICE_ENV | set(BROKER_ENV)
    assert all(isinstance(v, str) for k, v in app["env"].items() if k != "DCOS_SERVICE_ACCOUNT_CREDENTIAL")


def test_env_carries_the_service_and_node_options(rendered):
    _, o, _, app = rendered
    env = app["env"]
    assert env["FRAMEWORK_NAME"] == env["SERVICE_NAME"] == o["service"]["name"]
    assert env["FRAMEWORK_USER"] == o["service"]["user"]
    assert env["FRAMEWORK_PRINCIPAL"] == o["service"]["service_account"]
    assert env["FRAMEWORK_LOG_LEVEL"] == o["service"]["log_level"]
    assert env["ENABLE_VIRTUAL_NETWORK"] == str(o["service"]["virtual_network_enabled"]).lower()
    assert env["NODE_COUNT"] == str(o["node"]["count"])
    assert float(env["NODE_CPUS"]) == o["node"]["cpus"]
    assert env["NODE_MEM"] == str(o["node"]["mem"])
    assert env["NODE_DISK"] == str(o["node"]["disk"])
    assert env["NODE_DISK_TYPE"] == o["node"]["disk_type"]
    assert env["NODE_PLACEMENT"] == o["node"]["placement_constraint"]
    assert env["NODE_RLIMIT_NOFILE_SOFT"] == str(o["node"]["rlimits"]["rlimit_nofile"]["soft"])


def test_env_carries_the_listeners_and_files(rendered):
    _, o, _, app = rendered
    env, ls = app["env"], o["listeners"]
    assert env["MQTT_HOST_PORT"] == str(ls["mqtt"]["host_port"])
    for key, prefix in (("mqtt_tls", "MQTT_TLS"), ("websocket", "WEBSOCKET"), ("websocket_tls", "WEBSOCKET_TLS")):
        assert env[f"{prefix}_ENABLED"] == ("true" if ls[key]["enabled"] else "false")
        assert env[f"{prefix}_HOST_PORT"] == str(ls[key]["host_port"])
        assert env[f"{prefix}_VIP_PORT"] == str(ls[key]["vip_port"])
    assert env["TLS_CERT"] == o["tls"]["certificate"]
    assert env["TLS_KEY"] == o["tls"]["private_key"]
    assert env["TLS_CA"] == o["tls"]["ca_certificate"]
    assert env["PASSWORD_FILE_CONTENTS"] == o["auth"]["password_file"]
    assert env["ACL_FILE_CONTENTS"] == o["auth"]["acl_file"]


def test_broker_env_holds_ternmq_conf_values(rendered):
    _, o, _, app = rendered
    for name, (section, key) in BROKER_ENV.items():
        assert app["env"][name] == conf_value(o[section][key]), name


def test_service_account_secret(rendered):
    _, o, _, app = rendered
    secret = o["service"]["service_account_secret"]
    if secret:
        assert app["secrets"] == {"serviceCredential": {"source": secret}}
        assert app["env"]["DCOS_SERVICE_ACCOUNT_CREDENTIAL"] == {"secret": "serviceCredential"}
    else:
        assert "secrets" not in app and "DCOS_SERVICE_ACCOUNT_CREDENTIAL" not in app["env"]


def test_every_template_name_is_an_option_or_a_resource():
    options = u.resolved_options({})
    context = u.deep_merge(options, {"resource": u.load_json(u.UNIVERSE / "resource.json")})
    text = (u.UNIVERSE / "marathon.json.mustache").read_text()
    for name in u.template_names(text):
        node = context
        for part in name.split("."):
            assert isinstance(node, dict) and part in node, f"{{{{{name}}}}} names no option"
            node = node[part]


def test_every_option_reaches_the_app():
    # An option that the template never names would be shown in the UI and do nothing.
    used = u.template_names((u.UNIVERSE / "marathon.json.mustache").read_text())
    leaves = [p for p, s in u.walk_properties(u.schema()) if s.get("type") != "object"]
    assert [p for p in leaves if p not in used] == []


def test_json_special_characters_in_strings_are_escaped():
    # The placement constraint holds quotes; Cosmos JSON-escapes strings before rendering.
    _, app = u.render_marathon({"node": {"placement_constraint": '[["hostname", "LIKE", "10\\\\.0\\\\..*"]]'}})
    assert app["env"]["NODE_PLACEMENT"] == '[["hostname", "LIKE", "10\\\\.0\\\\..*"]]'


def test_env_names_are_documented():
    doc = (u.ROOT / "docs" / "dcos-service.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", doc))
    assert (SERVICE_ENV | set(BROKER_ENV) | {"DCOS_SERVICE_ACCOUNT_CREDENTIAL"}) - documented == set()
