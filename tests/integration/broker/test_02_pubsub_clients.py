"""02: publish/subscribe between real clients nobody here wrote: mosquitto_pub/mosquitto_sub
2.0.11 and paho-mqtt 1.6.1, each speaking MQTT 3.1, 3.1.1 and 5.0.

Every publisher (tool x version) sends one message at each QoS to six subscribers (tool x
version) subscribed at QoS 2, so every publisher-version x subscriber-version pair is covered
at QoS 0, 1 and 2, and the delivered QoS must equal the published one."""
import hashlib
import os

import pytest

from clients import MOSQ_VERSIONS, P_SUBSCRIPTION_ID, mosq_pub, props, sub_opts
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)
from conftest import wait_for

VERSIONS = list(MOSQ_VERSIONS)  # "3.1", "3.1.1", "5.0"
PUBLISHERS = [(tool, v) for tool in ("mosquitto", "paho") for v in VERSIONS]


def _short(v):
    return v.replace(".", "")


@pytest.mark.parametrize("tool,pub_version", PUBLISHERS, ids=[f"{t}-{v}" for t, v in PUBLISHERS])
def test_every_version_pair_delivers_at_every_qos(broker, clients, tool, pub_version):
    """A publisher of each client and protocol version reaches subscribers of every client and
    version at QoS 0, 1 and 2, with the QoS it published, RETAIN 0 and the exact payload.
    [3.1.1:MQTT-3.3.5-1] [3.1.1:MQTT-3.8.4-6] [3.1.1:MQTT-4.3.1-1] [3.1.1:MQTT-4.3.2-1]
    [3.1.1:MQTT-4.3.3-1] [3.1.1:MQTT-4.5.0-1] [3.1.1:MQTT-3.3.1-9] [5.0:MQTT-3.8.4-8]
    [5.0:MQTT-4.5.0-1] [5.0:MQTT-3.3.1-12] [3.1.1:MQTT-3.1.3-5] [5.0:MQTT-3.1.3-5]
    Two third-party clients interoperate with the broker using nothing outside the specification.
    [3.1.1:MQTT-7.0.0-2]"""
    topic = f"matrix/{tool}/{_short(pub_version)}"
    subs = {}
    for v in VERSIONS:
        s = clients.mosq_sub(broker, topic, version=v, qos=2, count=3, timeout=15, client_id=f"msub{_short(v)}")
        subs[("mosquitto_sub", v)] = s
    for v in VERSIONS:
        p = clients.paho(broker, f"psub{_short(v)}", v)
        p.subscribe(topic, qos=2)
        subs[("paho", v)] = p
    for (kind, _), s in subs.items():
        if kind == "mosquitto_sub":
            s.wait_subscribed()

    payloads = {q: f"{tool} {pub_version} qos{q}".encode() for q in (0, 1, 2)}
    if tool == "mosquitto":
        for q, body in payloads.items():
            mosq_pub(broker.port, topic, pub_version, qos=q, message=body.decode(), client_id=f"mpub{_short(pub_version)}")
    else:
        pub = clients.paho(broker, f"ppub{_short(pub_version)}", pub_version)
        for q, body in payloads.items():
            pub.publish(topic, body, qos=q)

    for (kind, v), s in subs.items():
        if kind == "mosquitto_sub":
            assert s.wait_exit(10) == 0, f"mosquitto_sub {v} did not get 3 messages: {s.lines}"
            got = s.messages
        else:
            got = s.wait_messages(3)
        by_payload = {m.payload: m for m in got}
        assert len(got) == 3 and set(by_payload) == set(payloads.values()), f"{kind} {v} got {got}"
        for q, body in payloads.items():
            m = by_payload[body]
            assert (m.topic, m.qos, m.retain) == (topic, q, False), f"{kind} {v}: {m}"


@pytest.mark.parametrize("version", VERSIONS)
def test_wildcards_plus_and_hash(broker, clients, version):
    """'+' matches exactly one level (including an empty one), '#' any number of levels
    including the parent; non-matching topics are not delivered.
    [3.1.1:MQTT-4.7.1-2] [3.1.1:MQTT-4.7.1-3] [5.0:MQTT-4.7.1-1] [5.0:MQTT-4.7.1-2]
    [3.1.1:MQTT-3.3.2-3] [5.0:MQTT-3.3.2-3] [3.1.1:MQTT-4.7.3-4] [5.0:MQTT-4.7.3-4]"""
    filters = {
        "plus": "sport/+/player1",
        "hash": "sport/#",
        "plus_hash": "+/tennis/#",
        "lone_plus": "+",
    }
    subs = {}
    for name, f in filters.items():
        p = clients.paho(broker, f"w{name}{_short(version)}", version)
        p.subscribe(f, qos=1)
        subs[name] = p
    topics = ["sport/tennis/player1", "sport/tennis/player2", "sport", "sport/", "sport//player1",
              "sport/tennis/player1/ranking", "Sport/tennis/player1", "other", "/tennis/x"]
    expected = {
        "plus": {"sport/tennis/player1", "sport//player1"},
        "hash": {"sport/tennis/player1", "sport/tennis/player2", "sport", "sport/", "sport//player1",
                 "sport/tennis/player1/ranking"},
        "plus_hash": {"sport/tennis/player1", "sport/tennis/player2", "sport/tennis/player1/ranking",
                      "Sport/tennis/player1", "/tennis/x"},
        "lone_plus": {"sport", "other"},
    }
    pub = clients.paho(broker, f"wpub{_short(version)}", version)
    for t in topics:
        pub.publish(t, t.encode(), qos=1)
    pub.publish("sync", b"sync", qos=1)  # the lone '+' subscriber sees this last
    assert wait_for(lambda: any(m.topic == "sync" for m in subs["lone_plus"].received()))
    for name, p in subs.items():
        want = expected[name] | ({"sync"} if name == "lone_plus" else set())
        got = p.wait_messages(len(want), timeout=3)
        assert sorted(m.topic for m in got) == sorted(want), f"{filters[name]}: {got}"
        assert all(m.payload == m.topic.encode() for m in got)


@pytest.mark.parametrize("version", VERSIONS)
def test_dollar_topics_not_matched_by_leading_wildcards(broker, clients, version):
    """Topics starting with '$' are not matched by filters starting with '#' or '+', but are by
    a filter naming the '$' level.
    [3.1.1:MQTT-4.7.2-1] [5.0:MQTT-4.7.2-1]"""
    hash_sub = clients.paho(broker, f"dh{_short(version)}", version)
    hash_sub.subscribe("#", qos=1)
    plus_sub = clients.paho(broker, f"dp{_short(version)}", version)
    plus_sub.subscribe("+/status", qos=1)
    dollar_sub = clients.mosq_sub(broker, "$app/#", version=version, qos=1, count=1, timeout=10)
    dollar_sub.wait_subscribed()
    pub = clients.paho(broker, f"dpub{_short(version)}", version)
    pub.publish("$app/status", b"dollar", qos=1)
    pub.publish("app/status", b"plain", qos=1)
    assert dollar_sub.wait_exit() == 0
    assert [(m.topic, m.payload) for m in dollar_sub.messages] == [("$app/status", b"dollar")]
    for p in (hash_sub, plus_sub):
        got = p.wait_messages(1)
        assert [(m.topic, m.payload) for m in got] == [("app/status", b"plain")]
    # a later message proves nothing else was queued behind: '#' sees it, and only it, next
    pub.publish("app/end", b"end", qos=1)
    got = hash_sub.wait_messages(2)
    assert [m.topic for m in got] == ["app/status", "app/end"]


def test_overlapping_subscriptions_v5_one_copy_with_both_identifiers(broker, clients):
    """One 5.0 client subscribed to 'a/#' (id 1, QoS 1) and 'a/+' (id 2, QoS 2) receives one
    copy of a QoS 2 message on 'a/b', at the higher QoS 2, carrying identifiers 1 and 2; a
    message matching only 'a/#' carries only identifier 1.
    [5.0:MQTT-3.3.4-2] [5.0:MQTT-3.3.4-3] [5.0:MQTT-3.3.4-4]"""
    sub = clients.paho(broker, "overlap5", "5.0")
    sub.subscribe("a/#", qos=1, sub_id=1)
    sub.subscribe("a/+", qos=2, sub_id=2)
    pub = clients.paho(broker, "overlappub", "5.0")
    pub.publish("a/b", b"both", qos=2)
    pub.publish("a/b/c", b"hash only", qos=2)
    pub.publish("a/end", b"sync", qos=0)
    assert wait_for(lambda: any(m.payload == b"sync" for m in sub.received()))
    got = [m for m in sub.received() if m.payload != b"sync"]
    both = [m for m in got if m.payload == b"both"]
    assert len(both) == 1, f"expected one copy, got {got}"
    assert both[0].qos == 2
    assert sorted(both[0].sub_ids) == [1, 2]
    only = [m for m in got if m.payload == b"hash only"]
    assert len(only) == 1 and only[0].qos == 1 and only[0].sub_ids == [1]


def test_overlapping_subscriptions_raw_v5_exact(broker, clients):
    """Raw-bytes check of the same rule: a single PUBLISH with both Subscription Identifier
    properties and QoS = max over the matching subscriptions (0 and 1 here, published at 2).
    [5.0:MQTT-3.3.4-2] [5.0:MQTT-3.3.4-4] [5.0:MQTT-3.8.4-8]"""
    sub = clients.raw(broker, "ovraw", version=5)
    sub.subscribe(("x/#", sub_opts(0)), prop_bytes=props((P_SUBSCRIPTION_ID, 7)))
    sub.subscribe(("x/+", sub_opts(1)), prop_bytes=props((P_SUBSCRIPTION_ID, 300)))
    pub = clients.raw(broker, "ovpub", version=5)
    pub.publish("x/y", b"hello", qos=2)
    m = sub.expect_publish()
    assert (m.topic, m.payload, m.qos, m.dup, m.retain) == ("x/y", b"hello", 1, False, False)
    assert sorted(m.props.all(P_SUBSCRIPTION_ID)) == [7, 300]
    sub.ack(m)
    assert sub.nothing_for(0.3), "a second copy was delivered"


def test_overlapping_subscriptions_v311_max_qos(broker, clients):
    """3.1.1 may deliver one copy per matching subscription, but the message must reach the
    client at the maximum QoS of the overlapping subscriptions.
    [3.1.1:MQTT-3.3.5-1]"""
    sub = clients.paho(broker, "overlap311", "3.1.1")
    sub.subscribe("b/#", qos=0)
    sub.subscribe("b/+", qos=2)
    pub = clients.paho(broker, "overlappub311", "3.1.1")
    pub.publish("b/c", b"x", qos=2)
    got = sub.wait_messages(1)
    assert got and all(m.payload == b"x" for m in got)
    assert max(m.qos for m in got) == 2


def test_order_of_1000_qos1_messages_preserved(broker, clients):
    """1000 QoS 1 messages from one publisher (mosquitto_pub -l) arrive at a paho 5.0 and a
    mosquitto_sub 3.1.1 subscriber complete and in publishing order.
    [3.1.1:MQTT-4.6.0-5] [3.1.1:MQTT-4.6.0-6] [5.0:MQTT-4.6.0-5] [5.0:MQTT-4.6.0-6]"""
    n = 1000
    paho_sub = clients.paho(broker, "order5", "5.0")
    paho_sub.subscribe("order/t", qos=1)
    msub = clients.mosq_sub(broker, "order/t", version="3.1.1", qos=1, count=n, timeout=30)
    msub.wait_subscribed()
    lines = "".join(f"{i:04d}\n" for i in range(n))
    mosq_pub(broker.port, "order/t", "3.1.1", qos=1, extra=["-l"], stdin=lines.encode())
    want = [f"{i:04d}".encode() for i in range(n)]
    got = paho_sub.wait_messages(n, timeout=20)
    assert [m.payload for m in got] == want
    assert all(m.qos == 1 for m in got)
    assert msub.wait_exit(20) == 0
    assert [m.payload for m in msub.messages] == want


@pytest.mark.parametrize("version", ["3.1.1", "5.0"])
def test_one_megabyte_payload_intact(broker, clients, tmp_path, version):
    """A 1 MB binary payload (all byte values) published with mosquitto_pub -f at QoS 1
    arrives byte-for-byte at mosquitto_sub, paho and a raw subscriber.
    [3.1.1:MQTT-4.5.0-1] [5.0:MQTT-4.5.0-1] [3.1.1:MQTT-7.1.1-1] [5.0:MQTT-4.2.0-1]"""
    payload = os.urandom(1024 * 1024)
    digest = hashlib.sha256(payload).hexdigest()
    f = tmp_path / "big.bin"
    f.write_bytes(payload)
    msub = clients.mosq_sub(broker, "big/t", version=version, qos=1, count=1, timeout=20)
    msub.wait_subscribed()
    psub = clients.paho(broker, "bigpaho", version)
    psub.subscribe("big/t", qos=1)
    rsub = clients.raw(broker, "bigraw", version=5 if version == "5.0" else 4)
    rsub.subscribe(("big/t", 1))
    mosq_pub(broker.port, "big/t", version, qos=1, extra=["-f", str(f)])
    m = rsub.expect_publish(timeout=10)
    assert m.qos == 1 and len(m.payload) == len(payload) and hashlib.sha256(m.payload).hexdigest() == digest
    rsub.ack(m)
    got = psub.wait_messages(1, timeout=10)
    assert len(got) == 1 and hashlib.sha256(got[0].payload).hexdigest() == digest
    assert msub.wait_exit(15) == 0
    assert len(msub.messages) == 1 and hashlib.sha256(msub.messages[0].payload).hexdigest() == digest


def test_topics_not_normalised(broker, clients):
    """Topic matching compares UTF-8 exactly: a filter in NFC form ("caf\u00e9") does not match
    the NFD spelling ("cafe\u0301"), and case matters.
    [3.1.1:MQTT-4.7.3-4] [5.0:MQTT-4.7.3-4]"""
    nfc, nfd = "caf\u00e9/+", "cafe\u0301/x"
    sub = clients.paho(broker, "norm", "5.0")
    sub.subscribe(nfc, qos=1)
    pub = clients.paho(broker, "normpub", "3.1.1")
    pub.publish(nfd, b"nfd", qos=1)
    pub.publish("CAF\u00c9/x", b"upper", qos=1)
    pub.publish("caf\u00e9/x", b"nfc", qos=1)
    got = sub.wait_messages(1)
    assert [(m.topic, m.payload) for m in got] == [("caf\u00e9/x", b"nfc")]


def test_wildcards_with_empty_levels_raw(broker, clients):
    """Exact matching of filters against topics with empty levels ("/lead", "trail/", "a//b",
    "/", "//") and '$' topics, checked on raw 3.1.1 subscriptions: each subscriber gets
    exactly the matching topics, in publishing order.
    [3.1.1:MQTT-4.7.1-2] [3.1.1:MQTT-4.7.1-3] [3.1.1:MQTT-4.7.2-1] [3.1.1:MQTT-3.3.2-3]
    [5.0:MQTT-4.7.2-1]"""
    topics = ["/lead", "trail/", "a//b", "a", "a/b", "/", "//", "$x/a", "$x"]
    expected = {
        "#": ["/lead", "trail/", "a//b", "a", "a/b", "/", "//"],
        "+": ["a"],
        "+/+": ["/lead", "trail/", "a/b", "/"],
        "/+": ["/lead", "/"],
        "+/lead": ["/lead"],
        "trail/+": ["trail/"],
        "a/+/b": ["a//b"],
        "a/#": ["a//b", "a", "a/b"],
        "+/#": ["/lead", "trail/", "a//b", "a", "a/b", "/", "//"],
        "/#": ["/lead", "/", "//"],
        "+/+/+": ["a//b", "//"],
        "$x/#": ["$x/a", "$x"],
        "+/a": [],
        "$x/+": ["$x/a"],
    }
    subs = {}
    for i, f in enumerate(expected):
        subs[f] = clients.raw(broker, f"e{i}")
        subs[f].subscribe((f, 1))
    pub = clients.raw(broker, "epub")
    for t in topics:
        pub.publish(t, t.encode(), qos=1)
    for f, s in subs.items():
        got = s.publishes(len(expected[f]), ack=True)
        assert [m.topic for m in got] == expected[f], f
        assert all(m.payload == m.topic.encode() for m in got)
    assert subs["+/a"].nothing_for(0.3)
    for f, s in subs.items():
        assert s.nothing_for(0.01), f"{f}: extra message"
