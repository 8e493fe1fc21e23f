"""04: retained messages: storage, replacement and clearing, delivery on subscribe (RETAIN=1)
versus live delivery (RETAIN=0 for 3.1.1), wildcards, MQTT 5 Retain Handling and Retain As
Published, QoS downgrade and message expiry."""
import time

import pytest

from clients import P_MESSAGE_EXPIRY, P_SESSION_EXPIRY, P_SUBSCRIPTION_ID, props, sub_opts
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)
from conftest import wait_for


def _retain(clients, broker, topic, payload, qos=0, version=4, prop_bytes=b"", cid="retpub"):
    p = clients.raw(broker, cid, version=version)
    p.publish(topic, payload, qos=qos, retain=True, prop_bytes=prop_bytes)
    p.disconnect()


@pytest.mark.parametrize("version", [3, 4, 5])
def test_retained_delivered_on_subscribe_with_retain_flag(broker, clients, version):
    """A retained QoS 1 message is stored (it outlives its publisher's clean session) and sent
    to a later subscriber with RETAIN=1 and its QoS.
    [3.1.1:MQTT-3.3.1-5] [3.1.1:MQTT-3.3.1-6] [3.1.1:MQTT-3.3.1-8] [3.1.1:MQTT-3.1.2-7]
    [5.0:MQTT-3.3.1-5] [5.0:MQTT-3.3.1-9]"""
    _retain(clients, broker, "ret/a", b"stored", qos=1, version=version)
    sub = clients.raw(broker, "retsub", version=version)
    sub.subscribe(("ret/a", 1))
    m = sub.expect_publish()
    assert (m.topic, m.payload, m.qos, m.retain, m.dup) == ("ret/a", b"stored", 1, True, False)
    sub.ack(m)
    assert sub.nothing_for(0.2)


def test_retained_replaced_by_newer(broker, clients):
    """A new retained message on a topic replaces the old one; a QoS 0 retained message
    replaces too.
    [3.1.1:MQTT-3.3.1-5] [3.1.1:MQTT-3.3.1-7] [5.0:MQTT-3.3.1-5]"""
    _retain(clients, broker, "rr/t", b"first", qos=1)
    _retain(clients, broker, "rr/t", b"second", qos=0)
    sub = clients.raw(broker, "rrsub")
    sub.subscribe(("rr/t", 1))
    m = sub.expect_publish()
    assert (m.payload, m.qos, m.retain) == (b"second", 0, True)
    assert sub.nothing_for(0.3), "old retained message was kept alongside the new one"


@pytest.mark.parametrize("version", [4, 5])
def test_empty_retained_publish_clears(broker, clients, version):
    """A retained PUBLISH with an empty payload is delivered normally to current subscribers
    and removes the retained message: a later subscriber gets nothing.
    [3.1.1:MQTT-3.3.1-10] [3.1.1:MQTT-3.3.1-11] [5.0:MQTT-3.3.1-6] [5.0:MQTT-3.3.1-7]"""
    _retain(clients, broker, "clr/t", b"keep me?", qos=1, version=version)
    live = clients.raw(broker, "clrlive", version=version)
    live.subscribe(("clr/t", 1), expect=[1])
    m = live.expect_publish()
    assert m.payload == b"keep me?" and m.retain
    live.ack(m)
    _retain(clients, broker, "clr/t", b"", qos=1, version=version, cid="clrpub")
    m = live.expect_publish()
    assert (m.payload, m.qos) == (b"", 1)
    live.ack(m)
    late = clients.raw(broker, "clrlate", version=version)
    late.subscribe(("clr/t", 1))
    assert late.nothing_for(0.4), "retained message survived an empty retained publish"


def test_non_retained_publish_keeps_retained(broker, clients):
    """A RETAIN=0 PUBLISH neither stores nor removes the retained message of its topic.
    [3.1.1:MQTT-3.3.1-12] [5.0:MQTT-3.3.1-8]"""
    _retain(clients, broker, "nr/t", b"retained")
    p = clients.raw(broker, "nrpub")
    p.publish("nr/t", b"live only", qos=1)
    p.publish("nr/t", b"", qos=1)
    sub = clients.raw(broker, "nrsub")
    sub.subscribe(("nr/t", 1))
    m = sub.expect_publish()
    assert (m.payload, m.retain) == (b"retained", True)
    assert sub.nothing_for(0.3)


def test_wildcard_subscribe_gets_all_matching_retained(broker, clients):
    """A wildcard subscription receives the retained message of every matching topic and of no
    other; '$' topics are not matched by a leading wildcard.
    [3.1.1:MQTT-3.3.1-6] [5.0:MQTT-3.3.1-9] [3.1.1:MQTT-4.7.2-1] [5.0:MQTT-4.7.2-1]"""
    topics = ["home/kitchen/temp", "home/hall/temp", "home/kitchen/light", "home", "office/temp",
              "$home/temp"]
    for i, t in enumerate(topics):
        _retain(clients, broker, t, t.encode(), qos=1, cid=f"wp{i}")

    def retained_for(filt, cid):
        s = clients.raw(broker, cid)
        s.subscribe((filt, 1))
        got = []
        while not s.nothing_for(0.3):
            m = s.expect_publish()
            s.ack(m)
            assert m.retain and m.payload == m.topic.encode()
            got.append(m.topic)
        return sorted(got)

    assert retained_for("home/#", "w1") == ["home", "home/hall/temp", "home/kitchen/light", "home/kitchen/temp"]
    assert retained_for("home/+/temp", "w2") == ["home/hall/temp", "home/kitchen/temp"]
    assert retained_for("+/temp", "w3") == ["office/temp"]
    assert retained_for("#", "w4") == sorted(t for t in topics if not t.startswith("$"))
    assert retained_for("$home/#", "w5") == ["$home/temp"]


@pytest.mark.parametrize("version", [3, 4])
def test_live_delivery_has_retain_0_for_v3(broker, clients, version):
    """A retained PUBLISH forwarded to an existing 3.1/3.1.1 subscription has RETAIN=0; the
    same message sent because of a new subscription has RETAIN=1.
    [3.1.1:MQTT-3.3.1-9] [3.1.1:MQTT-3.3.1-8]"""
    sub = clients.raw(broker, "livesub", version=version)
    sub.subscribe(("live/t", 1))
    _retain(clients, broker, "live/t", b"now", qos=1, version=version)
    m = sub.expect_publish()
    assert (m.payload, m.retain, m.qos) == (b"now", False, 1)
    sub.ack(m)
    sub.subscribe(("live/t", 1))  # same filter again: the retained message is re-sent
    m = sub.expect_publish()
    assert (m.payload, m.retain) == (b"now", True)
    sub.ack(m)


def test_v5_retain_handling_0_1_2(broker, clients):
    """Retain Handling 0 sends retained messages on every SUBSCRIBE, 1 only when the
    subscription is new, 2 never.
    [5.0:MQTT-3.3.1-9] [5.0:MQTT-3.3.1-10] [5.0:MQTT-3.3.1-11] [5.0:MQTT-3.8.4-3]
    [5.0:MQTT-3.8.4-4]"""
    _retain(clients, broker, "rh/t", b"R", qos=1, version=5)
    for rh, first, again in ((0, True, True), (1, True, False), (2, False, False)):
        s = clients.raw(broker, f"rh{rh}", version=5)
        for expected in (first, again):
            s.subscribe(("rh/t", sub_opts(1, rh=rh)))
            if expected:
                m = s.expect_publish()
                assert (m.payload, m.retain) == (b"R", True), f"rh={rh}"
                s.ack(m)
            assert s.nothing_for(0.2), f"retain handling {rh}: unexpected retained delivery"


def test_v5_retain_as_published(broker, clients):
    """On live delivery Retain As Published = 1 keeps the publisher's RETAIN flag, 0 clears
    it; a non-retained message has RETAIN=0 either way.
    [5.0:MQTT-3.3.1-12] [5.0:MQTT-3.3.1-13]"""
    rap = clients.raw(broker, "rap1", version=5)
    rap.subscribe(("rap/t", sub_opts(1, rap=True, rh=2)))
    norap = clients.raw(broker, "rap0", version=5)
    norap.subscribe(("rap/t", sub_opts(1, rap=False, rh=2)))
    pub = clients.raw(broker, "rappub", version=5)
    pub.publish("rap/t", b"retained", qos=1, retain=True)
    pub.publish("rap/t", b"plain", qos=1, retain=False)
    a, b = rap.publishes(2, ack=True)
    assert [(a.payload, a.retain), (b.payload, b.retain)] == [(b"retained", True), (b"plain", False)]
    a, b = norap.publishes(2, ack=True)
    assert [(a.payload, a.retain), (b.payload, b.retain)] == [(b"retained", False), (b"plain", False)]


@pytest.mark.parametrize("version", [4, 5])
def test_retained_qos_downgrade(broker, clients, version):
    """A retained QoS 2 message goes to a QoS 1 subscription as QoS 1 and to a QoS 0
    subscription as QoS 0, RETAIN=1 both times; a QoS 2 subscription gets QoS 2.
    [3.1.1:MQTT-3.8.4-6] [5.0:MQTT-3.8.4-8] [3.1.1:MQTT-3.3.1-8]"""
    _retain(clients, broker, "rdg/t", b"two", qos=2, version=version)
    for q in (0, 1, 2):
        s = clients.raw(broker, f"rdg{q}", version=version)
        s.subscribe(("rdg/t", q))
        m = s.expect_publish()
        assert (m.payload, m.qos, m.retain) == (b"two", q, True)
        assert m.raw_first == 0x30 | (q << 1) | 1
        s.ack(m)


def test_retained_message_expiry(broker, clients):
    """A retained message with Message Expiry Interval 1 s is sent to a subscriber before it
    expires (with the remaining interval, at most 1) and to none after.
    [5.0:MQTT-3.3.2-5] [5.0:MQTT-3.3.2-6]"""
    t0 = time.time()
    _retain(clients, broker, "exp/t", b"short-lived", qos=1, version=5, prop_bytes=props((P_MESSAGE_EXPIRY, 1)))
    _retain(clients, broker, "exp/u", b"long-lived", qos=1, version=5, prop_bytes=props((P_MESSAGE_EXPIRY, 60)),
            cid="retpub2")
    s = clients.raw(broker, "exps1", version=5)
    s.subscribe(("exp/t", 1))
    m = s.expect_publish()
    assert (m.payload, m.retain) == (b"short-lived", True)
    assert m.props.get(P_MESSAGE_EXPIRY) in (1,), m.props
    s.ack(m)
    n = [0]

    def gone():
        n[0] += 1
        c = clients.raw(broker, f"expp{n[0]}", version=5)
        c.subscribe(("exp/t", 1))
        empty = c.nothing_for(0.1)
        c.close()
        return empty

    assert wait_for(gone, timeout=4, interval=0.05), "retained message still delivered after expiry"
    assert time.time() - t0 >= 0.9, "retained message expired too early"
    s = clients.raw(broker, "exps2", version=5)
    s.subscribe(("exp/u", 1))
    m = s.expect_publish()
    assert m.payload == b"long-lived" and 58 <= m.props.get(P_MESSAGE_EXPIRY) <= 60
    s.ack(m)


def test_v5_retained_delivery_carries_subscription_identifier(broker, clients):
    """A retained message sent because of a new subscription carries that subscription's
    Subscription Identifier.
    [5.0:MQTT-3.3.4-3] [5.0:MQTT-3.3.1-9]"""
    _retain(clients, broker, "rid/t", b"with id", qos=1, version=5)
    s = clients.raw(broker, "ridsub", version=5)
    s.subscribe(("rid/+", 1), prop_bytes=props((P_SUBSCRIPTION_ID, 42)))
    m = s.expect_publish()
    assert (m.payload, m.retain) == (b"with id", True)
    assert m.props.all(P_SUBSCRIPTION_ID) == [42]
    s.ack(m)


def test_v5_retain_handling_1_subscription_kept_in_resumed_session(broker, clients):
    """Retain Handling 1 looks at the session: re-subscribing after a resumed session, where
    the subscription already exists, sends no retained message.
    [5.0:MQTT-3.3.1-10] [5.0:MQTT-3.1.2-5]"""
    _retain(clients, broker, "rh1/t", b"R", qos=1, version=5)
    session = props((P_SESSION_EXPIRY, 60))
    s = clients.raw(broker, "rh1s", version=5, clean=False, prop_bytes=session)
    s.subscribe(("rh1/t", sub_opts(1, rh=1)))
    m = s.expect_publish()
    s.ack(m)
    s.disconnect()
    s = clients.raw(broker, "rh1s", version=5, clean=False, prop_bytes=session)
    assert s.session_present == 1
    s.subscribe(("rh1/t", sub_opts(1, rh=1)))
    assert s.nothing_for(0.3), "retained message re-sent for an existing subscription with Retain Handling 1"
