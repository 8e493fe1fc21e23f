"""config.json (the package options) and the Universe metadata files: a valid draft-04 schema
that documents every field, accepts the defaults and the option sets under options/, refuses
bad options, and is what universe/config.json holds."""
import json
import pathlib
import re
import subprocess
import sys

import jsonschema
import pytest

import package_util as u


def test_config_json_is_a_valid_draft4_schema():
    jsonschema.Draft4Validator.check_schema(u.schema())
    assert u.schema()["$schema"] == "http://json-schema.org/draft-04/schema#"


def test_every_property_has_a_title_and_a_description():
    missing = [p for p, sub in u.walk_properties(u.schema())
               if not sub.get("description", "").strip() or not sub.get("title", "").strip()]
    assert not missing, f"properties without a title or description: {missing}"


def test_every_object_refuses_unknown_keys():
    # A misspelt option must be an error at install time, not a silently ignored key.
    objects = [("<root>", u.schema())] + [(p, s) for p, s in u.walk_properties(u.schema()) if s.get("type") == "object"]
    assert all(s.get("additionalProperties") is False for _, s in objects), \
        [p for p, s in objects if s.get("additionalProperties") is not False]


def test_every_leaf_has_a_default_that_validates():
    for path, sub in u.walk_properties(u.schema()):
        if sub.get("type") == "object":
            continue
        assert "default" in sub, f"{path} has no default"
        jsonschema.Draft4Validator(sub).validate(sub["default"])


def test_defaults_validate_as_a_whole():
    defaults = u.schema_defaults(u.schema())
    assert u.validation_errors(defaults) == []
    assert defaults["node"]["count"] == 3
    assert defaults["service"]["name"] == "ternmq"


def test_integers_fit_what_cosmos_renders_exactly():
    # Cosmos passes numbers to mustache as Int when they fit, else as Double, which prints as
    # 4.294967295E9: an integer option must stay within 32 bits to render as digits.
    for path, sub in u.walk_properties(u.schema()):
        if sub.get("type") in ("integer", "number"):
            assert "minimum" in sub and "maximum" in sub, f"{path} is unbounded"
            assert -u.INT32_MAX - 1 <= sub["minimum"] and sub["maximum"] <= u.INT32_MAX, path


def test_java_double_rendering_is_what_the_bound_guards_against():
    assert u.cosmos_value(4294967295) == "4.294967295E9"
    assert u.cosmos_value(2147483647) == 2147483647
    assert u.cosmos_value(0.5) == "0.5"
    assert u.cosmos_value(2.0) == 2


@pytest.mark.parametrize("name", sorted(u.option_sets()))
def test_option_sets_validate(name):
    options = u.option_sets()[name]
    assert u.validation_errors(options) == []
    assert u.validation_errors(u.resolved_options(options)) == []


def test_the_option_sets_cover_the_interesting_cases():
    sets = {n: u.resolved_options(o) for n, o in u.option_sets().items()}
    assert set(sets) >= {"defaults", "all-listeners-tls", "big-5-nodes", "auth-password-acl", "foldered-service"}
    tls = sets["all-listeners-tls"]["listeners"]
    assert all(tls[k]["enabled"] for k in ("mqtt_tls", "websocket", "websocket_tls"))
    assert sets["big-5-nodes"]["node"]["count"] == 5 and sets["big-5-nodes"]["node"]["disk_type"] == "MOUNT"
    assert sets["auth-password-acl"]["auth"]["password_file"] and sets["auth-password-acl"]["auth"]["acl_file"]
    assert sets["foldered-service"]["service"]["name"] == "/prod/mqtt"


INVALID = {
    "node count 0": {"node": {"count": 0}},
    "node count not an integer": {"node": {"count": 2.5}},
    "cpus 0": {"node": {"cpus": 0}},
    "disk type unknown": {"node": {"disk_type": "NFS"}},
    "placement with a single quote": {"node": {"placement_constraint": "[['hostname', 'UNIQUE']]"}},
    "placement not an array": {"node": {"placement_constraint": "hostname:UNIQUE"}},
    "vip port above 65535": {"listeners": {"mqtt_tls": {"vip_port": 70000}}},
    "vip port 0": {"listeners": {"websocket": {"vip_port": 0}}},
    "host port negative": {"listeners": {"mqtt": {"host_port": -1}}},
    "mqtt vip port is not an option": {"listeners": {"mqtt": {"vip_port": 1884}}},
    "unknown option": {"node": {"gpus": 1}},
    "unknown section": {"hivemq": {}},
    "service name upper case": {"service": {"name": "Prod_MQTT"}},
    "service name empty folder": {"service": {"name": "/prod//mqtt"}},
    "service name trailing dash": {"service": {"name": "mqtt-"}},
    "certificate not base64": {"tls": {"certificate": "-----BEGIN CERTIFICATE-----"}},
    "certificate base64 on several lines": {"tls": {"certificate": "TUlJQg==\nTUlJQg=="}},
    "password file with a quote": {"auth": {"password_file": "YWxp\"Y2U="}},
    "tls version 1.1": {"tls": {"tls_version": "tlsv1.1"}},
    "protocol version 6": {"listeners": {"allowed_protocol_versions": "3,6"}},
    "expiration with a space": {"broker": {"persistent_client_expiration": "1 w"}},
    "session expiry beyond 32 bits": {"broker": {"max_session_expiry_interval": "4294967296"}},
    "inflight beyond packet ids": {"broker": {"max_inflight_messages": 70000}},
    "broker log level of the scheduler": {"broker": {"log_level": "INFO"}},
    "scheduler log level of the broker": {"service": {"log_level": "trace"}},
    "leveldb memory 0": {"broker": {"leveldb_maximum_memory_percent": 0}},
    "anonymous as a string": {"auth": {"allow_anonymous": "on"}},
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_options_are_refused(case):
    assert u.validation_errors(INVALID[case]), f"{case}: accepted"


def test_session_expiry_pattern_accepts_the_whole_32_bit_range():
    validator = jsonschema.Draft4Validator(u.schema())
    for value in ("0", "1", "86400", "2147483648", "3999999999", "4294967294", "4294967295"):
        assert validator.is_valid({"broker": {"max_session_expiry_interval": value}}), value
    for value in ("", "01", "-1", "4294967296", "4294967300", "5000000000", "99999999999"):
        assert not validator.is_valid({"broker": {"max_session_expiry_interval": value}}), value


def test_universe_config_json_is_generated_from_the_top_level_one():
    r = subprocess.run([sys.executable, str(u.ROOT / "scripts" / "sync_universe_config.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert u.load_json(u.UNIVERSE / "config.json") == u.schema()


def test_universe_files_are_ascii_json():
    # Universe refuses non-ASCII package files.
    for name in ("package.json", "config.json", "resource.json", "marathon.json.mustache"):
        data = (u.UNIVERSE / name).read_bytes()
        assert data.isascii(), name
    assert u.CONFIG_JSON.read_bytes().isascii()


def test_package_json_is_a_packaging_v4_framework():
    pkg = u.load_json(u.UNIVERSE / "package.json")
    required = {"packagingVersion", "name", "version", "maintainer", "description", "tags", "upgradesFrom",
                "downgradesTo", "minDcosReleaseVersion"}
    assert required <= set(pkg), required - set(pkg)
    allowed = required | {"scm", "website", "framework", "preInstallNotes", "postInstallNotes", "postUninstallNotes",
                          "selected", "licenses", "lastUpdated"}
    assert set(pkg) <= allowed, set(pkg) - allowed
    assert pkg["packagingVersion"] == "4.0"
    assert pkg["framework"] is True
    assert re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", pkg["name"])
    assert re.fullmatch(r"[-a-zA-Z0-9.]+", pkg["version"])
    assert all(not re.search(r"\s", t) for t in pkg["tags"])
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", pkg["minDcosReleaseVersion"])


def test_package_version_is_the_project_version():
    cmake = (u.ROOT / "CMakeLists.txt").read_text()
    project_version = re.search(r"project\(\s*ternmq\s+VERSION\s+([0-9.]+)", cmake).group(1)
    assert u.load_json(u.UNIVERSE / "package.json")["version"].startswith(project_version)


def test_resource_json_lists_what_the_app_and_tasks_download():
    res = u.load_json(u.UNIVERSE / "resource.json")
    uris = res["assets"]["uris"]
    assert set(uris) == {"ternmq-tar-gz"}
    assert uris["ternmq-tar-gz"].endswith(".tar.gz")
    assert re.fullmatch(r"[a-z0-9./_-]+:[A-Za-z0-9._-]+", res["assets"]["container"]["docker"]["ternmq"])
    # The tarball is the one the Dockerfile's dist stage makes.
    tarball = pathlib.PurePosixPath(uris["ternmq-tar-gz"]).name
    assert f"/out/{tarball}" in (u.ROOT / "Dockerfile").read_text()
