"""23: mountpoints: `listener.tcp.a.mountpoint = tenant-a`, `listener.tcp.b.mountpoint =
tenant-b` and a root listener `default` without one. Each listener's clients live in their own
topic tree: same topic names never cross, `#` on one tree never sees another, retained messages,
wills and shared subscriptions stay in their tree, and `$mp/...` cannot be used to reach
across. Clients: raw (exact codes), paho-mqtt and mosquitto_sub/mosquitto_pub.
"""
import struct
import subprocess

import paho.mqtt.client as mqtt
import pytest

import rawmqtt
from broker_util import conf_broker, conns  # noqa: F401 (fixtures)
from clients import SUBACK, MosqSub, decode_props
from conftest import wait_for

CONF = """\
listener.tcp.default = 127.0.0.1:0
listener.tcp.a = 127.0.0.1:0
listener.tcp.a.mountpoint = tenant-a
listener.tcp.b = 127.0.0.1:0
listener.tcp.b.mountpoint = tenant-b
allow_anonymous = on
log.console.level = debug
"""
TREES = ("default", "a", "b")


@pytest.fixture
def b(conf_broker):
    return conf_broker(CONF)


def port(b, tree):
    return b.ports[f"tcp.{tree}"]


def topics(pubs):
    return [(p.topic, p.payload) for p in pubs]


def drain(c, timeout=0.2):
    """Everything c receives until it is quiet for `timeout` (acknowledged)."""
    out = []
    while not c.nothing_for(timeout):
        out.append(c.expect_publish())
        c.ack(out[-1])
    return out


def suback_codes(c, filters):
    """SUBSCRIBEs (QoS 1 each) and returns the SUBACK codes, whatever they are."""
    pid = c.pid()
    c.send(rawmqtt.subscribe([(f, 1) for f in filters], packet_id=pid, version=c.version))
    ack = c.recv_type(SUBACK)
    assert struct.unpack_from("!H", ack.body, 0)[0] == pid
    i = 2
    if c.version == 5:
        _, i = decode_props(ack.body, 2)
    return list(ack.body[i:])


@pytest.mark.parametrize("version", [4, 5])
def test_same_topic_names_never_cross(b, conns, version):
    """A client on each tree subscribes `sensors/#`; a publish to `sensors/t` on one tree reaches
    only that tree's subscriber, under the topic name the publisher used (no prefix shown).
    No normative statement (VerneMQ feature)."""
    subs = {t: conns(port(b, t), f"sub-{t}", version) for t in TREES}
    pubs = {t: conns(port(b, t), f"pub-{t}", version) for t in TREES}
    for s in subs.values():
        s.subscribe(("sensors/#", 1))
    for t in TREES:
        pubs[t].publish("sensors/t", f"from-{t}".encode(), qos=1)
    for t in TREES:
        assert topics(drain(subs[t])) == [("sensors/t", f"from-{t}".encode())], t


def test_root_wildcard_sees_no_mounted_traffic(b, conns):
    """`#` and `+/#` on the root listener see root traffic only; `#` on tenant-a sees only
    tenant-a. mosquitto_sub on the root (`-t '#'`) receives exactly the root message.
    3.1.1:MQTT-4.7.2-1 (the mount space is a `$` tree); otherwise VerneMQ feature."""
    root = conns(port(b, "default"), "root", 4)
    root.subscribe(("#", 1))
    root_plus = conns(port(b, "default"), "root-plus", 5)
    root_plus.subscribe(("+/#", 1))
    a_all = conns(port(b, "a"), "a-all", 5)
    a_all.subscribe(("#", 1))
    ms = MosqSub(port(b, "default"), ["#"], count=1, timeout=5, qos=1)
    try:
        ms.wait_subscribed()
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port(b, "a")), "-t", "x/a", "-m", "A", "-q",
                        "1"], check=True, timeout=20)
        conns(port(b, "b"), "pb", 4).publish("x/b", b"B", qos=1)
        conns(port(b, "default"), "pr", 4).publish("x/root", b"R", qos=1)
        got_root = drain(root)
        assert topics(got_root) == [("x/root", b"R")]
        assert topics(drain(root_plus)) == [("x/root", b"R")]
        assert topics(drain(a_all)) == [("x/a", b"A")]
        # mounted messages were published (and acknowledged) first: had one leaked, -C 1 would
        # have printed it instead
        assert ms.wait_exit() == 0
        assert [(m.topic, m.payload) for m in ms.messages] == [("x/root", b"R")]
    finally:
        ms.kill()


def test_mount_space_cannot_be_named(b, conns):
    """Publishing or subscribing to `$mp/...` is refused everywhere: the root cannot subscribe to
    `$mp/#` or `$mp/tenant-a/#` (SUBACK 0x80 / 0x87), a tenant-a client cannot publish into
    tenant-b through `$mp/tenant-b/...` (3.1.1: acked and dropped; 5.0 QoS 1: PUBACK >= 0x80), nor
    can the root publish into tenant-a. A root topic named like the mountpoint (`tenant-a/x`) is
    just a root topic. 5.0:MQTT-3.4.2-1; otherwise no normative statement (VerneMQ feature)."""
    b_sub = conns(port(b, "b"), "b-sub", 4)
    b_sub.subscribe(("#", 1))
    a_sub = conns(port(b, "a"), "a-sub", 5)
    a_sub.subscribe(("#", 1))
    root3 = conns(port(b, "default"), "root3", 4)
    root3.subscribe(("$mp/#", 1), ("$mp/tenant-a/#", 1), ("tenant-a/#", 1), expect=[0x80, 0x80, 1])
    root5 = conns(port(b, "default"), "root5", 5)
    codes = suback_codes(root5, ["$mp/tenant-b/#", "$share/g/$mp/tenant-b/#"])
    assert len(codes) == 2 and all(c >= 0x80 for c in codes), codes

    a3 = conns(port(b, "a"), "a-pub3", 4)
    assert a3.publish("$mp/tenant-b/x", b"escape3", qos=1) == 0
    a5 = conns(port(b, "a"), "a-pub5", 5)
    assert a5.publish("$mp/tenant-b/x", b"escape5", qos=1) >= 0x80
    assert a5.publish("$mp/tenant-a/x", b"self-mp", qos=1) >= 0x80
    r5 = conns(port(b, "default"), "r-pub5", 5)
    assert r5.publish("$mp/tenant-a/x", b"root-in", qos=1) >= 0x80
    r5.publish("tenant-a/x", b"plain-root", qos=1)
    assert b_sub.nothing_for(0.3)
    assert a_sub.nothing_for(0.1)
    assert topics(drain(root3, 0.2)) == [("tenant-a/x", b"plain-root")]


def test_retained_messages_are_per_mountpoint(b, conns):
    """Each tree retains its own `cfg/mode`; a new subscriber gets only its tree's retained
    message, and clearing it on one tree leaves the others. No normative statement (VerneMQ
    feature)."""
    for t in TREES:
        conns(port(b, t), f"rp-{t}", 4).publish("cfg/mode", f"mode-{t}".encode(), qos=1, retain=True)
    for t in TREES:
        s = conns(port(b, t), f"rs-{t}", 5)
        s.subscribe(("cfg/#", 1))
        got = s.publishes(1, ack=True)
        assert topics(got) == [("cfg/mode", f"mode-{t}".encode())], t
        assert got[0].retain
        assert s.nothing_for(0.1)
    conns(port(b, "a"), "clear-a", 4).publish("cfg/mode", b"", qos=1, retain=True)
    s = conns(port(b, "a"), "rs-a2", 4)
    s.subscribe(("cfg/#", 1))
    assert s.nothing_for(0.3)
    s = conns(port(b, "b"), "rs-b2", 4)
    s.subscribe(("cfg/#", 1))
    assert topics(s.publishes(1, ack=True)) == [("cfg/mode", b"mode-b")]


def test_will_stays_in_its_tree(b, conns):
    """A will set by a tenant-a client is published in tenant-a only. No normative statement
    (VerneMQ feature)."""
    watchers = {t: conns(port(b, t), f"w-{t}", 4) for t in TREES}
    for w in watchers.values():
        w.subscribe(("status/#", 1))
    dying = conns(port(b, "a"), "dying", 4, will=("status/dying", b"offline", 1, False))
    dying.drop()
    assert topics(watchers["a"].publishes(1, ack=True)) == [("status/dying", b"offline")]
    assert watchers["default"].nothing_for(0.3) and watchers["b"].nothing_for(0.1)


def test_shared_subscriptions_inside_a_mountpoint(b, conns):
    """`$share/g/jobs/#` with the same group name on each tree: messages published on tenant-a
    are split between tenant-a's two members only (each message once), never to the same group
    on tenant-b or the root. 5.0:MQTT-4.8.2-1 (shared filter syntax); otherwise VerneMQ feature."""
    members = [conns(port(b, "a"), f"a-m{i}", 5) for i in range(2)]
    outsiders = [conns(port(b, "b"), "b-m", 5), conns(port(b, "default"), "r-m", 4)]
    for m in members + outsiders:
        m.subscribe(("$share/g/jobs/#", 1))
    pub = conns(port(b, "a"), "a-pub", 5)
    n = 12
    for i in range(n):
        pub.publish(f"jobs/{i}", str(i).encode(), qos=1)
    got = []
    for m in members:
        got += drain(m, 0.3)
    assert sorted(int(p.payload) for p in got) == list(range(n))
    assert all(p.topic == f"jobs/{int(p.payload)}" for p in got)
    for o in outsiders:
        assert o.nothing_for(0.1)


def test_shared_subscription_with_paho_in_a_mountpoint(b):
    """paho 5.0 members of `$share/work/q` on tenant-b receive tenant-b's messages; a paho member
    of the same share on tenant-a receives none of them. 5.0:MQTT-4.8.2-1."""
    made = []

    def client(tree, cid, share=True):
        c = mqtt.Client(client_id=cid, protocol=mqtt.MQTTv5)
        c.received = []
        c.on_message = lambda cl, u, m: cl.received.append((m.topic, bytes(m.payload)))
        acks = []
        c.on_subscribe = lambda cl, u, mid, codes, props: acks.append(codes)
        c.connect("127.0.0.1", port(b, tree), 30)
        c.loop_start()
        made.append(c)
        if not share:
            return c
        c.subscribe("$share/work/q", qos=1)
        assert wait_for(lambda: acks), "no SUBACK"
        assert acks[0][0].value == 1
        return c

    try:
        bm = [client("b", "pb1"), client("b", "pb2")]
        am = client("a", "pa1")
        p = client("b", "pb-pub", share=False)
        for i in range(6):
            p.publish("q", f"m{i}", qos=1).wait_for_publish(5)
        assert wait_for(lambda: len(bm[0].received) + len(bm[1].received) == 6)
        assert sorted(bm[0].received + bm[1].received) == [("q", f"m{i}".encode()) for i in range(6)]
        assert am.received == []
    finally:
        for c in made:
            c.disconnect()
            c.loop_stop()


# ---------------------------------------------------------------------------------------------
# Client identifiers across mountpoints
# ---------------------------------------------------------------------------------------------
def test_same_client_id_on_two_mountpoints_does_not_take_over(b, conns):
    """A client id is unique within a tree: `dev1` connecting on tenant-b must not disconnect
    `dev1` on tenant-a (VerneMQ: the subscriber id is {mountpoint, client id}). 3.1.1:MQTT-3.1.4-2
    and 5.0:MQTT-3.1.4-3 (take-over) apply only within one tree. No other normative statement."""
    a = conns(port(b, "a"), "dev1", 5)
    a.subscribe(("t", 1))
    other = conns(port(b, "b"), "dev1", 5)
    assert other.rc == 0 and other.session_present == 0
    assert a.nothing_for(0.5), f"the tenant-a client got {a.pending} after a tenant-b client used its id"
    conns(port(b, "a"), "pa", 4).publish("t", b"still-here", qos=1)
    assert topics(a.publishes(1, ack=True)) == [("t", b"still-here")]


def test_persistent_session_not_resumed_across_mountpoints(b, conns):
    """`dev2` on tenant-a leaves a persistent session with a subscription and a queued QoS 1
    message; `dev2` connecting on tenant-b with clean session 0 must start a new session
    (session present 0) and must not get tenant-a's message. No normative statement (VerneMQ
    feature; within one tree this would be 3.1.1:MQTT-3.2.2-2)."""
    a = conns(port(b, "a"), "dev2", 4, clean=False)
    a.subscribe(("secret/#", 1))
    a.disconnect()
    conns(port(b, "a"), "pa", 4).publish("secret/plan", b"tenant-a only", qos=1)
    other = conns(port(b, "b"), "dev2", 4, clean=False)
    leaked = [(p.topic, p.payload) for p in drain(other, 0.4)]
    assert (other.session_present, leaked) == (0, []), "tenant-b client resumed tenant-a's session"


# ---------------------------------------------------------------------------------------------
# Mountpoints together with other features
# ---------------------------------------------------------------------------------------------
def test_unsubscribe_on_a_mounted_listener(b, conns):
    """UNSUBSCRIBE of the client's own filter on tenant-a removes the mounted subscription: no
    more deliveries, and UNSUBACK 0x00 (not 0x11) on 5.0, with the packet id.
    5.0:MQTT-3.10.4-1, 5.0:MQTT-3.10.4-2, 5.0:MQTT-3.10.4-5."""
    s = conns(port(b, "a"), "unsub", 5)
    s.subscribe(("u/#", 1))
    p = conns(port(b, "a"), "unsub-pub", 5)
    p.publish("u/1", b"before", qos=1)
    assert topics(s.publishes(1, ack=True)) == [("u/1", b"before")]
    s.send(rawmqtt.packet(0xA2, struct.pack("!H", 77) + b"\x00" + rawmqtt.utf8("u/#")))
    ack = s.recv_type(11)  # UNSUBACK
    assert ack.body[0:2] == struct.pack("!H", 77) and list(ack.body[3:]) == [0x00], ack
    p.publish("u/2", b"after", qos=1)
    assert s.nothing_for(0.3)


def test_acl_rules_apply_to_the_clients_own_topic_names(conf_broker, conns, tmp_path):
    """The ACL sees the topic names a client uses, not the mounted ones: an anonymous rule
    `topic x/#` lets a tenant-a client publish and subscribe to x/..., and a will on x/... is
    accepted there; y/... stays refused. No normative statement (VerneMQ feature)."""
    acl = tmp_path / "vmq.acl"
    acl.write_text("topic x/#\n")
    b = conf_broker(CONF + f"vmq_acl.acl_file = {acl}\n")
    s = conns(port(b, "a"), "acl-sub", 5, will=("x/will", b"bye", 0, False))
    s.subscribe(("x/#", 1), ("y/#", 1), expect=[1, 0x87])
    p = conns(port(b, "a"), "acl-pub", 5)
    assert p.publish("x/1", b"ok", qos=1) == 0
    assert p.publish("y/1", b"no", qos=1) == 0x87
    assert topics(s.publishes(1, ack=True)) == [("x/1", b"ok")]
    assert s.nothing_for(0.2)


def test_inbound_topic_alias_on_a_mounted_listener(conf_broker, conns):
    """A 5.0 client on tenant-a sets topic alias 1 for `al/t`, then publishes with the alias only;
    both messages reach tenant-a's `al/t` subscriber as `al/t` (the alias maps the client's name,
    mounted once), and none reaches the root. 5.0:MQTT-3.3.2-12."""
    b = conf_broker(CONF + "topic_alias_max_broker = 10\n")
    s = conns(port(b, "a"), "al-sub", 5)
    s.subscribe(("al/#", 1))
    root = conns(port(b, "default"), "al-root", 5)
    root.subscribe(("#", 1))
    p = conns(port(b, "a"), "al-pub", 5)
    alias = bytes([0x23, 0x00, 0x01])
    assert p.publish("al/t", b"first", qos=1, prop_bytes=alias) == 0
    assert p.publish("", b"second", qos=1, prop_bytes=alias) == 0
    assert topics(s.publishes(2, ack=True)) == [("al/t", b"first"), ("al/t", b"second")]
    assert root.nothing_for(0.2)
