"""22: vmq_acl: topic / user / pattern rules (%c, %u), read vs write, what a refused PUBLISH,
SUBSCRIBE and will topic look like on 3.1.1 and 5.0, reload without restart and malformed files.

allow_anonymous = on (authentication skipped), so a client is "user X" by sending the user name
X; the ACL still applies. A `watcher` user may read everything and sees what gets through.
"""
import subprocess

import paho.mqtt.client as mqtt
import pytest

from broker_util import conf_broker, conns, log_size, start_fails, wait_log, write_atomic  # noqa: F401 (fixtures)
from conftest import wait_for

ACL = """\
# anonymous section: clients without a user name
topic read public/#
topic write anon/in
pattern read clients/%c/#
pattern write clients/%c/out
pattern devices/%u/#

user alice
topic alice/#
topic read shared/news
topic write shared/inbox
topic will/alice

user bob
topic write shared/news
topic readwrite shared/inbox

user watcher
topic read #
"""


def conf(acl_path, extra=""):
    return "\n".join(["listener.tcp.default = 127.0.0.1:0",
                      "allow_anonymous = on",
                      f"vmq_acl.acl_file = {acl_path}",
                      "vmq_acl.acl_reload_interval = 1",
                      "log.console.level = debug", extra]) + "\n"


@pytest.fixture
def acl(tmp_path):
    p = tmp_path / "vmq.acl"
    p.write_text(ACL)
    return p


@pytest.fixture
def b(conf_broker, acl):
    return conf_broker(conf(acl))


def port(b):
    return b.ports["tcp.default"]


@pytest.fixture
def watcher(b, conns):
    w = conns(port(b), "watcher", 4, username="watcher")
    w.subscribe(("#", 1))
    return w


def got(w, n=1):
    """The topics and payloads of the next n publishes the watcher receives (acknowledged)."""
    return [(p.topic, p.payload) for p in w.publishes(n, ack=True)]


# ---------------------------------------------------------------------------------------------
# Who gets which rules
# ---------------------------------------------------------------------------------------------
def test_anonymous_section_for_clients_without_username(b, conns, watcher):
    """The rules before the first `user` line apply to clients without a user name (read
    public/#, write anon/in) and not to clients with one. 3.1.1:MQTT-3.9.3-1 (codes in filter
    order); otherwise no normative statement (VerneMQ feature)."""
    anon = conns(port(b), "anon", 4)
    anon.subscribe(("public/#", 1), ("anon/in", 0), ("alice/#", 0), expect=[1, 0x80, 0x80])
    anon.publish("anon/in", b"a1", qos=1)
    assert got(watcher) == [("anon/in", b"a1")]
    assert anon.publish("public/x", b"no-write", qos=1) == 0  # acked, dropped
    assert watcher.nothing_for(0.3)

    named = conns(port(b), "alice-anon-rules", 4, username="alice")
    named.subscribe(("public/#", 0), expect=[0x80])
    named.publish("anon/in", b"not-for-alice", qos=1)
    assert watcher.nothing_for(0.3)


def test_user_sections_read_versus_write(b, conns, watcher):
    """alice may read but not write shared/news, bob may write but not read it; shared/inbox is
    the other way round for alice; bob's `readwrite` grants both. Deliveries follow the rules.
    No normative statement (VerneMQ feature)."""
    alice = conns(port(b), "alice", 4, username="alice")
    bob = conns(port(b), "bob", 4, username="bob")
    alice.subscribe(("shared/news", 1), ("shared/inbox", 1), ("alice/+", 1), expect=[1, 0x80, 1])
    bob.subscribe(("shared/news", 1), ("shared/inbox", 1), expect=[0x80, 1])

    bob.publish("shared/news", b"headline", qos=1)
    assert [(p.topic, p.payload) for p in alice.publishes(1, ack=True)] == [("shared/news", b"headline")]
    assert got(watcher) == [("shared/news", b"headline")]

    alice.publish("shared/inbox", b"letter", qos=1)
    assert [(p.topic, p.payload) for p in bob.publishes(1, ack=True)] == [("shared/inbox", b"letter")]
    assert got(watcher) == [("shared/inbox", b"letter")]

    alice.publish("shared/news", b"fake-news", qos=1)  # read-only for alice: dropped
    bob.publish("alice/x", b"intrusion", qos=1)  # not in bob's section
    assert alice.nothing_for(0.3) and watcher.nothing_for(0.1)

    alice.publish("alice/own", b"mine", qos=1)
    assert [(p.topic, p.payload) for p in alice.publishes(1, ack=True)] == [("alice/own", b"mine")]


def test_patterns_substitute_client_id_and_username(b, conns, watcher):
    """`pattern read clients/%c/#` and `pattern write clients/%c/out` use the client id, for
    anonymous clients too; `pattern devices/%u/#` uses the user name and gives nothing to an
    anonymous client or to a user name holding `/`. No normative statement (VerneMQ feature)."""
    dev = conns(port(b), "dev42", 4)
    dev.subscribe(("clients/dev42/#", 1), ("clients/dev43/#", 1), ("clients/+/#", 1), ("devices/+/#", 0),
                  expect=[1, 0x80, 0x80, 0x80])
    dev.publish("clients/dev42/out", b"from-42", qos=1)
    assert got(watcher) == [("clients/dev42/out", b"from-42")]
    dev.publish("clients/dev43/out", b"spoof", qos=1)
    dev.publish("clients/dev42/in", b"read-only", qos=1)
    assert watcher.nothing_for(0.3)

    carl = conns(port(b), "c1", 5, username="carl")
    carl.subscribe(("devices/carl/#", 1), ("devices/alice/#", 1), ("clients/c1/#", 1), expect=[1, 0x87, 1])
    assert carl.publish("devices/carl/temp", b"20", qos=1) in (0, 0x10)
    assert got(watcher) == [("devices/carl/temp", b"20")]
    assert [(p.topic, p.payload) for p in carl.publishes(1, ack=True)] == [("devices/carl/temp", b"20")]
    assert carl.publish("devices/alice/temp", b"x", qos=1) == 0x87

    slash = conns(port(b), "c2", 5, username="carl/sub")
    slash.subscribe(("devices/carl/sub/#", 0), ("devices/carl/#", 0), expect=[0x87, 0x87])


@pytest.mark.parametrize("client_id", ["+", "#", "dev/42"])
def test_pattern_ignores_client_ids_with_wildcards_or_slashes(b, conns, watcher, client_id):
    """A client id `+`, `#` or `dev/42` must not turn `clients/%c/#` into a wildcard grant or
    reach into another client's tree: the pattern does not apply to it, so it may neither
    subscribe to `clients/+/#` / `clients/dev/42/#` nor publish to `clients/x/out`.
    No normative statement (VerneMQ feature)."""
    c = conns(port(b), client_id, 5)
    if c.rc != 0:  # refusing such a client id is also safe
        assert c.rc >= 0x80
        return
    codes = c.subscribe(("clients/+/#", 0), ("clients/#", 0), ("clients/dev/42/#", 0), expect=[0x87, 0x87, 0x87])
    assert codes == [0x87] * 3
    assert c.publish("clients/x/out", b"spoof", qos=1) == 0x87
    assert c.publish("clients/dev/42/out", b"spoof", qos=1) == 0x87
    assert watcher.nothing_for(0.3)


# ---------------------------------------------------------------------------------------------
# Refused PUBLISH
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("qos", [0, 1, 2])
def test_denied_publish_v311_is_acked_and_dropped(b, conns, watcher, qos):
    """3.1.1: a PUBLISH the ACL refuses is acknowledged as usual (PUBACK / PUBREC + PUBCOMP, code
    0), the connection stays open, and no subscriber gets it. 3.1.1:MQTT-3.3.5-2,
    3.1.1:MQTT-3.3.4-1."""
    anon = conns(port(b), "anon", 4)
    assert anon.publish("alice/secret", b"denied", qos=qos) in (None, 0)
    assert watcher.nothing_for(0.3)
    anon.publish("anon/in", b"allowed", qos=qos)  # still connected and working
    assert got(watcher) == [("anon/in", b"allowed")]


def test_denied_publish_by_real_clients_v311(b, conns, watcher):
    """paho 3.1.1 and mosquitto_pub 3.1.1 see their denied QoS 1 publishes acknowledged
    (completed normally); nothing is delivered. 3.1.1:MQTT-3.3.5-2."""
    c = mqtt.Client(client_id="paho-anon", protocol=mqtt.MQTTv311)
    c.connect("127.0.0.1", port(b), 30)
    c.loop_start()
    try:
        info = c.publish("alice/secret", b"paho", qos=1)
        info.wait_for_publish(timeout=5)
        assert info.is_published()
    finally:
        c.disconnect()
        c.loop_stop()
    r = subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port(b)), "-q", "1", "-t", "alice/secret",
                        "-m", "mosq", "-d"], capture_output=True, text=True, timeout=20)
    assert r.returncode == 0 and "received PUBACK" in r.stdout, r.stdout + r.stderr
    assert watcher.nothing_for(0.3)


def test_denied_publish_v5_not_authorized(b, conns, watcher):
    """5.0: a refused QoS 1 PUBLISH gets PUBACK 0x87 and a QoS 2 one PUBREC 0x87 (no PUBREL
    needed, the packet id is free again), QoS 0 is dropped; nothing is delivered and the
    connection stays usable. 5.0:MQTT-3.4.2-1, 5.0:MQTT-3.3.4-1."""
    anon = conns(port(b), "anon5", 5)
    assert anon.publish("alice/secret", b"q1", qos=1, pid=7) == 0x87
    assert anon.publish("alice/secret", b"q2", qos=2, pid=8) == 0x87
    anon.publish("alice/secret", b"q0", qos=0)
    assert watcher.nothing_for(0.3)
    assert anon.publish("anon/in", b"fine", qos=2, pid=8) in (0, 0x10)
    assert got(watcher) == [("anon/in", b"fine")]


def test_denied_publish_v5_mosquitto_pub_reports_it(b, watcher):
    """mosquitto_pub -V mqttv5 -q 1 to a refused topic sees PUBACK reason 135 (0x87).
    5.0:MQTT-3.4.2-1."""
    r = subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port(b)), "-V", "mqttv5", "-q", "1",
                        "-t", "alice/secret", "-m", "m", "-d"], capture_output=True, text=True, timeout=20)
    assert "received PUBACK (Mid: 1, RC:135)" in r.stdout, r.stdout + r.stderr
    assert watcher.nothing_for(0.3)


# ---------------------------------------------------------------------------------------------
# Refused SUBSCRIBE
# ---------------------------------------------------------------------------------------------
def test_denied_subscribe_codes(b, conns, watcher):
    """A filter the ACL does not cover is refused in SUBACK: 0x80 on 3.1.1 (the only failure code,
    3.1.1:MQTT-3.9.3-2), 0x87 on 5.0; allowed filters in the same SUBSCRIBE are granted, codes in
    filter order (3.1.1:MQTT-3.8.4-4, 3.1.1:MQTT-3.8.4-5, 3.1.1:MQTT-3.9.3-1). A rule `alice/#`
    covers `alice/+/x` and `alice` but not `#` or `+/x`; `$share/g/alice/#` is checked on
    `alice/#`. A refused filter delivers nothing."""
    a3 = conns(port(b), "a3", 4, username="alice")
    a3.subscribe(("alice/+/x", 1), ("#", 1), ("alice", 0), ("+/x", 0), ("$share/g/alice/#", 1),
                 ("$share/g/bob/#", 1), expect=[1, 0x80, 0, 0x80, 1, 0x80])
    a5 = conns(port(b), "a5", 5, username="alice")
    a5.subscribe(("shared/inbox", 1), ("alice/#", 2), ("$SYS/#", 0), expect=[0x87, 2, 0x87])
    bob = conns(port(b), "bob", 4, username="bob")
    bob.publish("shared/inbox", b"for-bob", qos=1)
    assert got(watcher) == [("shared/inbox", b"for-bob")]
    assert a3.nothing_for(0.2) and a5.nothing_for(0.1)


def test_subscribe_failure_reason_unspecified(conf_broker, conns, acl):
    """acl.subscribe_failure_reason = unspecified: 5.0 clients get 0x80 instead of 0x87; 3.1.1 is
    0x80 either way; paho 5.0 sees reason 128. No normative statement (VerneMQ feature)."""
    b = conf_broker(conf(acl, "acl.subscribe_failure_reason = unspecified"))
    a5 = conns(port(b), "a5", 5, username="alice")
    a5.subscribe(("bob/#", 1), ("alice/#", 1), expect=[0x80, 1])
    a3 = conns(port(b), "a3", 4, username="alice")
    a3.subscribe(("bob/#", 1), expect=[0x80])

    granted = []
    c = mqtt.Client(client_id="paho5", protocol=mqtt.MQTTv5)
    c.username_pw_set("alice")
    c.on_subscribe = lambda cl, u, mid, codes, props: granted.extend(codes)
    c.connect("127.0.0.1", port(b), 30)
    c.loop_start()
    try:
        c.subscribe([("bob/#", 1), ("alice/#", 0)])
        assert wait_for(lambda: len(granted) == 2)
        assert [g.value for g in granted] == [0x80, 0]
    finally:
        c.disconnect()
        c.loop_stop()


# ---------------------------------------------------------------------------------------------
# Will topic
# ---------------------------------------------------------------------------------------------
def test_will_topic_not_allowed_refuses_connect(b, conns, watcher):
    """A will on a topic the client may not publish to refuses the CONNECT as not authorized
    (3.1.1 rc 5, 5.0 0x87), and no will is published later; an allowed will topic connects and
    its will is published when the connection drops. 5.0:MQTT-3.1.4-2, 3.1.1:MQTT-3.2.2-5."""
    assert conns.refused(port(b), "w3", 4, will=("alice/will", b"x", 1, False)) == 5
    assert conns.refused(port(b), "w5", 5, will=("alice/will", b"x", 1, False)) == 0x87
    assert conns.refused(port(b), "w5b", 5, username="bob", will=("will/alice", b"x", 0, False)) == 0x87
    assert watcher.nothing_for(0.3)
    ok = conns(port(b), "w-ok", 4, username="alice", will=("will/alice", b"gone", 1, False))
    assert ok.rc == 0
    ok.drop()
    assert got(watcher) == [("will/alice", b"gone")]


def test_will_refused_for_mosquitto_sub(b):
    """mosquitto_sub with --will-topic on a refused topic is told `not authorised`.
    5.0:MQTT-3.1.4-2."""
    r = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port(b)), "-V", "mqttv5", "-t", "public/x",
                        "--will-topic", "alice/will", "--will-payload", "x", "-C", "1", "-W", "5"],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode != 0
    assert "not authori" in (r.stdout + r.stderr).lower(), r.stdout + r.stderr


# ---------------------------------------------------------------------------------------------
# Reload and malformed files
# ---------------------------------------------------------------------------------------------
def test_acl_reload_without_restart(b, conns, acl, watcher):
    """acl_reload_interval = 1: a rule added to alice's section applies after the reload log line,
    on the connection that was already open and on a new one; a removed rule stops applying.
    No normative statement (VerneMQ feature)."""
    alice = conns(port(b), "alice5", 5, username="alice")
    alice.subscribe(("news/#", 1), expect=[0x87])
    assert alice.publish("news/today", b"x", qos=1) == 0x87
    at = log_size(b)
    write_atomic(acl, ACL.replace("user alice\ntopic alice/#\n", "user alice\ntopic news/#\n"))
    assert wait_log(b, f"vmq_acl: reloaded {acl}", after=at), b.read_log()[at:]
    alice.subscribe(("news/#", 1), expect=[1])
    assert alice.publish("news/today", b"fresh", qos=1) == 0
    assert [(p.topic, p.payload) for p in alice.publishes(1, ack=True)] == [("news/today", b"fresh")]
    assert got(watcher) == [("news/today", b"fresh")]
    assert alice.publish("alice/x", b"old-rule", qos=1) == 0x87
    again = conns(port(b), "alice3", 4, username="alice")
    again.subscribe(("news/+", 0), ("alice/#", 0), expect=[0, 0x80])


def test_malformed_acl_at_runtime_keeps_previous(b, conns, acl, watcher):
    """A malformed line written while running is logged as FILE:LINE and the previous rules stay
    in force (including for rules the bad edit would have added); a fixed file is loaded.
    No normative statement (VerneMQ feature)."""
    at = log_size(b)
    bad = ACL + "topic read extra/#\nallow everything\n"
    write_atomic(acl, bad)
    line_no = len(bad.splitlines())
    assert wait_log(b, f"{acl}:{line_no}:", after=at), b.read_log()[at:]
    assert "keeping the previous ACL file" in b.read_log()[at:]
    alice = conns(port(b), "alice", 4, username="alice")
    alice.subscribe(("alice/#", 0), ("extra/#", 0), expect=[0, 0x80])
    at = log_size(b)
    write_atomic(acl, ACL.replace("user alice\n", "user alice\ntopic read extra/#\n"))
    assert wait_log(b, "vmq_acl: reloaded", after=at)
    alice.subscribe(("extra/#", 0), expect=[0])


def test_acl_file_removed_at_runtime_keeps_previous(b, conns, acl):
    """The ACL file deleted while running: the error is logged and the loaded rules stay (alice
    keeps alice/#, the anonymous client stays refused). No normative statement (VerneMQ
    feature)."""
    at = log_size(b)
    acl.unlink()
    assert wait_log(b, "keeping the previous ACL file", after=at), b.read_log()[at:]
    assert str(acl) in b.read_log()[at:]
    conns(port(b), "alice", 5, username="alice").subscribe(("alice/#", 0), ("bob/#", 0), expect=[0, 0x87])
    conns(port(b), "anon", 5).subscribe(("alice/#", 0), expect=[0x87])


@pytest.mark.parametrize("bad,reason", [
    ("allow #", "unknown keyword"),
    ("topic read", "missing topic filter after 'read'"),
    ("topic a/#/b", "invalid topic filter"),
    ("user", "missing username after 'user'"),
    ("topic deny a/b", "'deny' rules are not supported"),
    ("pattern $share/g/%c", "$share"),
])
def test_malformed_acl_refuses_start(tmp_path, bad, reason):
    """A malformed ACL file at start-up: non-zero exit, FILE:LINE and the reason are printed, no
    listener opens. No normative statement (VerneMQ feature)."""
    path = tmp_path / "bad.acl"
    text = ACL.replace("user bob\n", f"user bob\n{bad}\n")
    path.write_text(text)
    line_no = text.splitlines().index(bad) + 1
    rc, err, out = start_fails(conf(path), tmp_path / "b")
    assert rc != 0, err
    assert f"{path}:{line_no}:" in err, err
    assert reason in err, err
    assert "listening on" not in out
