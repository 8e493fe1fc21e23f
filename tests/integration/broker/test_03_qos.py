"""03: QoS 1 and 2 flows in raw bytes: exact acknowledgement packets, downgrade, duplicate
QoS 2 PUBLISH, the in-flight window, redelivery after reconnect and MQTT 5 Receive Maximum."""
import struct

import pytest

import rawmqtt
from clients import (PINGRESP, PUBLISH, PUBREL, P_RECEIVE_MAXIMUM, P_SESSION_EXPIRY, PINGREQ_BYTES, Pub, parse_ack,
                     props, puback, pubcomp, pubrec, pubrel)
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)


def _pid(n):
    return struct.pack("!H", n)


def _ack_ok(pkt, first_byte, pid, version):
    """True when `pkt` is the acknowledgement `first_byte` for `pid` with success: exactly
    first_byte 02 id for 3.1.1; for 5.0 the reason code 0x00 (or 0x10 No matching subscribers
    for PUBACK/PUBREC) and no properties may also be written out."""
    raw = bytes([pkt.type << 4 | pkt.flags]) + rawmqtt.varint(len(pkt.body)) + pkt.body
    if version != 5:
        return raw == bytes([first_byte, 2]) + _pid(pid)
    ok = {bytes([first_byte, 2]) + _pid(pid), bytes([first_byte, 3]) + _pid(pid) + b"\x00",
          bytes([first_byte, 4]) + _pid(pid) + b"\x00\x00"}
    if first_byte in (0x40, 0x50):
        ok |= {bytes([first_byte, 3]) + _pid(pid) + b"\x10", bytes([first_byte, 4]) + _pid(pid) + b"\x10\x00"}
    return raw in ok


@pytest.mark.parametrize("version", [3, 4, 5])
def test_qos1_publish_gets_exact_puback(broker, clients, version):
    """A QoS 1 PUBLISH with packet id 0x1234 is answered with PUBACK 40 02 12 34 (5.0: reason
    code may follow) and delivered to the subscriber as QoS 1, DUP 0, with a non-zero id.
    [3.1.1:MQTT-3.3.4-1] [3.1.1:MQTT-2.3.1-6] [3.1.1:MQTT-4.3.2-2] [5.0:MQTT-3.3.4-1]
    [5.0:MQTT-2.2.1-5] [5.0:MQTT-4.3.2-4] [3.1.1:MQTT-4.3.2-1] [5.0:MQTT-4.3.2-2]
    [3.1.1:MQTT-2.3.1-1] [5.0:MQTT-2.2.1-4]"""
    sub = clients.raw(broker, "q1sub", version=version)
    sub.subscribe(("q1/t", 1))
    pub = clients.raw(broker, "q1pub", version=version)
    pub.send(rawmqtt.publish("q1/t", b"one", qos=1, packet_id=0x1234, version=version))
    ack = pub.recv()
    assert _ack_ok(ack, 0x40, 0x1234, version), ack
    m = sub.expect_publish()
    assert (m.topic, m.payload, m.qos, m.dup, m.retain) == ("q1/t", b"one", 1, False, False)
    assert m.packet_id != 0
    sub.send(puback(m.packet_id, version))
    assert sub.nothing_for(0.2)


@pytest.mark.parametrize("version", [3, 4, 5])
def test_qos2_inbound_exact_pubrec_pubcomp(broker, clients, version):
    """Client to server QoS 2: PUBLISH id 0xBEEF -> PUBREC 50 02 BE EF; PUBREL 62 02 BE EF ->
    PUBCOMP 70 02 BE EF. The message reaches the subscriber exactly once.
    [3.1.1:MQTT-4.3.3-2] [3.1.1:MQTT-3.3.4-1] [3.1.1:MQTT-2.3.1-6] [5.0:MQTT-4.3.3-8]
    [5.0:MQTT-4.3.3-11] [5.0:MQTT-2.2.1-5]"""
    sub = clients.raw(broker, "q2sub", version=version)
    sub.subscribe(("q2/t", 2))
    pub = clients.raw(broker, "q2pub", version=version)
    pub.send(rawmqtt.publish("q2/t", b"two", qos=2, packet_id=0xBEEF, version=version))
    rec = pub.recv()
    assert _ack_ok(rec, 0x50, 0xBEEF, version), rec
    pub.send(pubrel(0xBEEF, version))
    comp = pub.recv()
    assert _ack_ok(comp, 0x70, 0xBEEF, version), comp
    m = sub.expect_publish()
    assert (m.topic, m.payload, m.qos, m.dup) == ("q2/t", b"two", 2, False)
    sub.ack(m)
    assert sub.nothing_for(0.2)


@pytest.mark.parametrize("version", [4, 5])
def test_qos2_outbound_exact_pubrel(broker, clients, version):
    """Server to client QoS 2: the PUBLISH has first byte 0x34 (QoS 2, DUP 0, RETAIN 0); after
    PUBREC the server sends PUBREL 62 02 <id>; PUBCOMP ends the flow and the server sends
    nothing more (no PUBLISH re-sent after PUBREL).
    [3.1.1:MQTT-4.3.3-1] [3.1.1:MQTT-2.3.1-6] [5.0:MQTT-4.3.3-2] [5.0:MQTT-4.3.3-4]
    [5.0:MQTT-4.3.3-6] [3.1.1:MQTT-3.6.1-1] [5.0:MQTT-3.6.1-1]"""
    sub = clients.raw(broker, "q2osub", version=version)
    sub.subscribe(("q2o/t", 2))
    pub = clients.raw(broker, "q2opub", version=version)
    pub.publish("q2o/t", b"out", qos=2)
    p = sub.recv()
    assert p.type == PUBLISH and p.flags == 0x4, p
    m = Pub(p, version)
    assert (m.topic, m.payload, m.qos) == ("q2o/t", b"out", 2)
    sub.send(pubrec(m.packet_id, version))
    rel = sub.recv()
    assert _ack_ok(rel, 0x62, m.packet_id, version), rel
    sub.send(pubcomp(m.packet_id, version))
    assert sub.nothing_for(0.3)


@pytest.mark.parametrize("version", [4, 5])
def test_qos_downgrade_to_subscription_qos(broker, clients, version):
    """A QoS 2 message is delivered at QoS 1 to a QoS 1 subscription and at QoS 0 to a QoS 0
    subscription; a QoS 0 message stays QoS 0 for a QoS 2 subscription.
    [3.1.1:MQTT-3.8.4-6] [5.0:MQTT-3.8.4-8] [3.1.1:MQTT-3.3.1-2] [5.0:MQTT-3.3.1-2]
    The QoS 0 PUBLISH carries no Packet Identifier (its payload follows the topic / properties
    directly) and has DUP 0. [3.1.1:MQTT-2.3.1-5] [5.0:MQTT-2.2.1-2] [5.0:MQTT-4.3.1-1]"""
    s1 = clients.raw(broker, "dg1", version=version)
    s1.subscribe(("dg/t", 1))
    s0 = clients.raw(broker, "dg0", version=version)
    s0.subscribe(("dg/t", 0))
    s2 = clients.raw(broker, "dg2", version=version)
    s2.subscribe(("dg/t", 2))
    pub = clients.raw(broker, "dgpub", version=version)
    pub.publish("dg/t", b"q2", qos=2)
    m = s1.expect_publish()
    assert (m.payload, m.qos, m.dup) == (b"q2", 1, False) and m.raw_first == 0x32
    s1.ack(m)
    m = s0.expect_publish()
    assert (m.payload, m.qos, m.packet_id) == (b"q2", 0, None) and m.raw_first == 0x30
    m = s2.expect_publish()
    assert (m.payload, m.qos) == (b"q2", 2)
    s2.ack(m)
    pub.publish("dg/t", b"q0", qos=0)
    m = s2.expect_publish()
    assert (m.payload, m.qos, m.dup) == (b"q0", 0, False) and m.raw_first == 0x30


@pytest.mark.parametrize("version", [4, 5])
def test_duplicate_qos2_publish_before_pubrel_delivered_once(broker, clients, version):
    """A QoS 2 PUBLISH re-sent with DUP=1 and the same id before PUBREL is acknowledged with
    PUBREC again and not delivered a second time; after PUBCOMP the same id is a new message.
    [3.1.1:MQTT-4.3.3-2] [5.0:MQTT-4.3.3-10] [5.0:MQTT-4.3.3-12] [3.1.1:MQTT-3.3.1-3]
    [5.0:MQTT-3.3.1-3]"""
    sub = clients.raw(broker, "dupsub", version=version)
    sub.subscribe(("dup/t", 2))
    pub = clients.raw(broker, "duppub", version=version)
    pub.send(rawmqtt.publish("dup/t", b"once", qos=2, packet_id=7, version=version))
    assert _ack_ok(pub.recv(), 0x50, 7, version)
    pub.send(rawmqtt.publish("dup/t", b"once", qos=2, packet_id=7, dup=True, version=version))
    assert _ack_ok(pub.recv(), 0x50, 7, version)
    pub.send(pubrel(7, version))
    assert _ack_ok(pub.recv(), 0x70, 7, version)
    m = sub.expect_publish()
    assert (m.payload, m.qos, m.dup) == (b"once", 2, False)  # incoming DUP is not propagated
    sub.ack(m)
    assert sub.nothing_for(0.3), "duplicate QoS 2 PUBLISH was delivered twice"
    # the id is free again: a new message with id 7 is delivered
    pub.publish("dup/t", b"again", qos=2, pid=7)
    m = sub.expect_publish()
    assert m.payload == b"again"
    sub.ack(m)


def test_duplicate_qos2_after_reconnect_delivered_once(broker, clients):
    """A persistent publisher that got PUBREC, lost its connection and re-sends the PUBLISH
    (DUP=1, same id) on the resumed session gets PUBREC again; the message is delivered once.
    [3.1.1:MQTT-4.3.3-2] [3.1.1:MQTT-4.4.0-1] [3.1.1:MQTT-4.1.0-1]"""
    sub = clients.raw(broker, "rdsub")
    sub.subscribe(("rd/t", 2))
    pub = clients.raw(broker, "rdpub", clean=False)
    pub.send(rawmqtt.publish("rd/t", b"x", qos=2, packet_id=42))
    assert _ack_ok(pub.recv(), 0x50, 42, 4)
    pub.drop()
    pub = clients.raw(broker, "rdpub", clean=False)
    assert pub.session_present == 1
    pub.send(rawmqtt.publish("rd/t", b"x", qos=2, packet_id=42, dup=True))
    assert _ack_ok(pub.recv(), 0x50, 42, 4)
    pub.send(pubrel(42))
    assert _ack_ok(pub.recv(), 0x70, 42, 4)
    m = sub.expect_publish()
    assert m.payload == b"x"
    sub.ack(m)
    assert sub.nothing_for(0.3)


def test_inflight_window_max_inflight_messages(make_broker, clients):
    """With max_inflight_messages = 5 a subscriber that does not acknowledge gets exactly 5
    QoS 1 messages; each PUBACK releases exactly one more, in order.
    [3.1.1:MQTT-4.3.2-1] [5.0:MQTT-4.3.2-3] [3.1.1:MQTT-4.6.0-6] [5.0:MQTT-2.2.1-4]"""
    broker = make_broker(extra_conf="max_inflight_messages = 5")
    sub = clients.raw(broker, "winsub")
    sub.subscribe(("win/t", 1))
    pub = clients.raw(broker, "winpub")
    for i in range(10):
        pub.publish("win/t", f"m{i}".encode(), qos=1)
    first = sub.publishes(5)
    assert [m.payload for m in first] == [f"m{i}".encode() for i in range(5)]
    assert len({m.packet_id for m in first}) == 5
    assert sub.nothing_for(0.4), "more than 5 messages in flight"
    sub.send(puback(first[0].packet_id))
    m5 = sub.expect_publish()
    assert m5.payload == b"m5" and m5.packet_id not in {m.packet_id for m in first[1:]}
    assert sub.nothing_for(0.3), "one PUBACK released more than one message"
    for m in first[1:] + [m5]:
        sub.send(puback(m.packet_id))
    rest = sub.publishes(4, ack=True)
    assert [m.payload for m in rest] == [b"m6", b"m7", b"m8", b"m9"]


@pytest.mark.parametrize("version", [4, 5])
def test_redelivery_on_reconnect_with_dup_and_same_ids(broker, clients, version):
    """Unacknowledged QoS 1 and QoS 2 messages are re-sent on reconnect of a persistent
    session with DUP=1 and their original packet ids, and a QoS 2 message that got PUBREC has
    its PUBREL re-sent (not the PUBLISH); the original order is kept.
    [3.1.1:MQTT-4.4.0-1] [5.0:MQTT-4.4.0-1] [3.1.1:MQTT-3.3.1-1] [5.0:MQTT-3.3.1-1]
    [3.1.1:MQTT-2.3.1-3] [3.1.1:MQTT-2.3.1-4] [5.0:MQTT-4.3.3-6] [3.1.1:MQTT-3.2.2-2]
    [5.0:MQTT-3.2.2-3] [5.0:MQTT-3.1.2-5]
    The QoS 2 PUBLISH without PUBREC is still unacknowledged (re-sent), the PUBREL without PUBCOMP
    too. [5.0:MQTT-4.3.3-3] [5.0:MQTT-4.3.3-5]"""
    kw = {"clean": False}
    if version == 5:
        kw["prop_bytes"] = props((P_SESSION_EXPIRY, 60))
    sub = clients.raw(broker, "redeliv", version=version, **kw)
    sub.subscribe(("rdv/#", 2))
    pub = clients.raw(broker, "rdvpub", version=version)
    pub.publish("rdv/a", b"A", qos=1)
    pub.publish("rdv/b", b"B", qos=2)
    pub.publish("rdv/c", b"C", qos=2)
    a, b, c = sub.publishes(3)
    assert [(x.payload, x.qos, x.dup) for x in (a, b, c)] == [(b"A", 1, False), (b"B", 2, False), (b"C", 2, False)]
    sub.send(pubrec(c.packet_id, version))
    rel = sub.recv()
    assert rel.type == PUBREL and parse_ack(rel, version)[0] == c.packet_id
    sub.drop()  # no PUBACK for A, no PUBREC for B, no PUBCOMP for C
    pub.publish("rdv/d", b"D", qos=1)  # queued while offline: goes out after the re-sent ones

    sub = clients.raw(broker, "redeliv", version=version, **kw)
    assert (sub.session_present, sub.rc) == (1, 0)
    got = [sub.recv() for _ in range(3)]
    pubs = [g for g in got if g.type == PUBLISH]
    rels = [g for g in got if g.type == PUBREL]
    assert len(pubs) == 2 and len(rels) == 1, got
    a2, b2 = (Pub(p, version) for p in pubs)
    assert (a2.payload, a2.qos, a2.dup, a2.packet_id) == (b"A", 1, True, a.packet_id)
    assert (b2.payload, b2.qos, b2.dup, b2.packet_id) == (b"B", 2, True, b.packet_id)
    assert rels[0].flags == 0x2 and parse_ack(rels[0], version)[0] == c.packet_id
    sub.send(puback(a.packet_id, version))
    sub.send(pubrec(b.packet_id, version))
    r = sub.recv_type(PUBREL)
    assert parse_ack(r, version)[0] == b.packet_id
    sub.send(pubcomp(b.packet_id, version))
    sub.send(pubcomp(c.packet_id, version))
    d = sub.expect_publish()
    assert (d.payload, d.qos, d.dup) == (b"D", 1, False)
    assert d.packet_id not in (a.packet_id, b.packet_id, c.packet_id)
    sub.send(puback(d.packet_id, version))
    assert sub.nothing_for(0.3), "acknowledged messages were sent again"


def test_no_redelivery_without_reconnect(broker, clients):
    """The server does not re-send an unacknowledged PUBLISH on the same connection (5.0
    allows re-sending only on reconnect); the default retry interval is far longer anyway.
    [5.0:MQTT-4.4.0-1]"""
    sub = clients.raw(broker, "noresend", version=5)
    sub.subscribe(("nr/t", 1))
    pub = clients.raw(broker, "noresendpub", version=5)
    pub.publish("nr/t", b"x", qos=1)
    m = sub.expect_publish()
    assert m.qos == 1 and not m.dup
    assert sub.nothing_for(0.5)


def test_receive_maximum_limits_inflight_qos1(broker, clients):
    """A 5.0 client announcing Receive Maximum 2 has at most 2 unacknowledged QoS 1 PUBLISHes
    outstanding; each PUBACK lets one more through.
    [5.0:MQTT-3.3.4-9] [5.0:MQTT-4.9.0-1] [5.0:MQTT-4.9.0-2]"""
    sub = clients.raw(broker, "rmsub", version=5, prop_bytes=props((P_RECEIVE_MAXIMUM, 2)))
    sub.subscribe(("rm/t", 1))
    pub = clients.raw(broker, "rmpub", version=5)
    for i in range(5):
        pub.publish("rm/t", f"m{i}".encode(), qos=1)
    first = sub.publishes(2)
    assert [m.payload for m in first] == [b"m0", b"m1"]
    assert sub.nothing_for(0.4), "more than Receive Maximum messages in flight"
    sub.send(puback(first[0].packet_id, 5))
    m = sub.expect_publish()
    assert m.payload == b"m2"
    assert sub.nothing_for(0.3)
    for x in (first[1], m):
        sub.send(puback(x.packet_id, 5))
    rest = sub.publishes(2, ack=True)
    assert [x.payload for x in rest] == [b"m3", b"m4"]


def test_receive_maximum_counts_qos2_until_pubcomp(broker, clients):
    """For QoS 2 the send quota is returned on PUBCOMP, not on PUBREC: with Receive Maximum 1
    the second message waits until the first exchange completes; PINGREQ is still answered
    while the quota is zero.
    [5.0:MQTT-3.3.4-9] [5.0:MQTT-4.9.0-2] [5.0:MQTT-4.9.0-3] [5.0:MQTT-3.3.4-10]"""
    sub = clients.raw(broker, "rm2sub", version=5, prop_bytes=props((P_RECEIVE_MAXIMUM, 1)))
    sub.subscribe(("rm2/t", 2))
    pub = clients.raw(broker, "rm2pub", version=5)
    pub.publish("rm2/t", b"first", qos=2)
    pub.publish("rm2/t", b"second", qos=2)
    m = sub.expect_publish()
    assert m.payload == b"first"
    sub.send(PINGREQ_BYTES)
    assert sub.recv().type == PINGRESP  # PINGRESP despite the zero quota
    sub.send(pubrec(m.packet_id, 5))
    rel = sub.recv()
    assert rel.type == PUBREL
    assert sub.nothing_for(0.4), "PUBLISH sent before PUBCOMP returned the quota"
    sub.send(pubcomp(m.packet_id, 5))
    m2 = sub.expect_publish()
    assert m2.payload == b"second"
    sub.ack(m2)


def test_v5_negative_acks_end_the_exchange(broker, clients):
    """5.0: a PUBREC with reason >= 0x80 ends the QoS 2 exchange (no PUBREL) and returns the
    send quota; a PUBACK with reason >= 0x80 counts as acknowledged, so neither message is
    re-sent when the session resumes.
    [5.0:MQTT-4.3.3-4] [5.0:MQTT-4.4.0-2] [5.0:MQTT-4.9.0-2]"""
    conn_props = props((P_SESSION_EXPIRY, 60), (P_RECEIVE_MAXIMUM, 1))
    sub = clients.raw(broker, "negack", version=5, clean=False, prop_bytes=conn_props)
    sub.subscribe(("neg/t", 2))
    pub = clients.raw(broker, "negpub", version=5)
    pub.publish("neg/t", b"refused2", qos=2)
    pub.publish("neg/t", b"refused1", qos=1)
    pub.publish("neg/t", b"accepted", qos=1)
    m = sub.expect_publish()
    assert m.payload == b"refused2"
    sub.send(pubrec(m.packet_id, 5, rc=0x80))
    m = sub.expect_publish()  # the quota came back without PUBREL/PUBCOMP
    assert m.payload == b"refused1"
    sub.send(puback(m.packet_id, 5, rc=0x80))
    m = sub.expect_publish()
    assert m.payload == b"accepted"
    sub.drop()  # "accepted" stays unacknowledged
    sub = clients.raw(broker, "negack", version=5, clean=False, prop_bytes=conn_props)
    assert sub.session_present == 1
    m = sub.expect_publish()
    assert (m.payload, m.dup) == (b"accepted", True)
    sub.send(puback(m.packet_id, 5))
    assert sub.nothing_for(0.3), "a message refused with a >= 0x80 reason code was re-sent"


@pytest.mark.parametrize("version", [4, 5])
def test_pubrel_for_unknown_id_answered_with_pubcomp(broker, clients, version):
    """A PUBREL for an identifier with no pending QoS 2 message is still answered with PUBCOMP
    carrying that identifier (5.0: reason 0x92 Packet Identifier not found, or 0x00).
    [3.1.1:MQTT-4.3.3-2] [5.0:MQTT-4.3.3-11] [5.0:MQTT-3.7.2-1]"""
    c = clients.raw(broker, "relunk", version=version)
    c.send(pubrel(0x0102, version))
    p = c.recv()
    assert p.type == 7 and p.flags == 0
    pid, rc, _ = parse_ack(p, version)
    assert pid == 0x0102
    if version == 4:
        assert p.body == b"\x01\x02"
    else:
        assert rc in (0x00, 0x92)
