"""09: shared subscriptions ($share/GROUP/FILTER), MQTT 5.0 section 4.8.2 (also used by 3.1.1
clients, as VerneMQ allows)."""
import pytest

import raw5
from raw5 import open5, open311, subscribe_ok, publish5, Ack, collect, nothing_more, prop, sub_opts

N = 100


def _publish_n(port, topic, n, qos=0, tag="m"):
    """Publishes n messages with payloads tag0..tag{n-1}; waits for every acknowledgement at QoS 1."""
    pub, _ = open5(port, "publisher")
    for i in range(n):
        pub.send(publish5(topic, f"{tag}{i}".encode(), qos=qos, packet_id=i + 1))
    if qos == 1:
        for i in range(n):
            a = Ack(pub.recv_packet())
            assert a.type == raw5.PUBACK and a.reason == 0
    else:
        # A round trip after the last publish: the broker has routed all of them.
        pub.send(raw5.PINGREQ_BYTES)
        assert pub.recv_packet().type == raw5.PINGRESP
    pub.close()
    return {f"{tag}{i}".encode() for i in range(n)}


def _payloads(msgs):
    return [m.payload for m in msgs]


def test_each_message_to_exactly_one_member(broker):
    """100 messages to a group of 3: each goes to exactly one member (no duplicates, none lost), and
    every member gets some.  Covers 5.0:MQTT-4.8.2-1 5.0:MQTT-4.8.2-2 5.0:MQTT-4.8.2-3"""
    members = []
    for i in range(3):
        c, _ = open5(broker.port, f"member{i}")
        ack = subscribe_ok(c, [("$share/g/sh/t", 1)])
        assert ack.reasons == [1]
        members.append(c)
    sent = _publish_n(broker.port, "sh/t", N, qos=1)
    got = collect(members, N)
    everything = [p for msgs in got for p in _payloads(msgs)]
    assert len(everything) == N and set(everything) == sent, "each message exactly once across the group"
    assert all(len(msgs) > 0 for msgs in got), [len(m) for m in got]
    assert all(m.qos == 1 and m.topic == "sh/t" for msgs in got for m in msgs)
    for c in members:
        assert nothing_more(c, 0.1)
        c.close()


def test_two_groups_and_plain_subscriber_each_get_everything(broker):
    """Two groups on the same filter each receive every message once; a plain subscriber receives
    every message too.  Covers 5.0:MQTT-4.8.2-1"""
    g1 = [open5(broker.port, f"g1m{i}")[0] for i in range(2)]
    g2 = [open5(broker.port, "g2m0")[0]]
    plain, _ = open5(broker.port, "plain")
    for c in g1:
        subscribe_ok(c, [("$share/g1/two/+", 0)])
    subscribe_ok(g2[0], [("$share/g2/two/#", 0)])
    subscribe_ok(plain, [("two/x", 0)])
    sent = _publish_n(broker.port, "two/x", N)
    got1 = collect(g1, N)
    got2 = collect(g2, N)
    gotp = collect([plain], N)
    assert sorted(p for msgs in got1 for p in _payloads(msgs)) == sorted(sent)
    assert set(_payloads(got2[0])) == sent and len(got2[0]) == N
    assert set(_payloads(gotp[0])) == sent and len(gotp[0]) == N
    for c in g1 + g2 + [plain]:
        assert nothing_more(c, 0.1)
        c.close()


def test_online_member_preferred(broker):
    """One member offline (persistent session), one online: every QoS 1 message goes to the
    online one; the offline one finds nothing queued when it comes back. (Which member gets a
    message is the server's choice, 5.0 section 4.8.2: no normative statement. TernMQ's router picks
    an online member when there is one; that preference is not written in docs/ yet.)"""
    off, _ = open5(broker.port, "offmember", properties=prop(raw5.SESSION_EXPIRY, 300))
    subscribe_ok(off, [("$share/g/pref", 1)])
    off.send(raw5.disconnect(0))
    assert off.closed_by_server()
    off.close()
    on, _ = open5(broker.port, "onmember")
    subscribe_ok(on, [("$share/g/pref", 1)])
    sent = _publish_n(broker.port, "pref", 20, qos=1)
    got = collect([on], 20)[0]
    assert set(_payloads(got)) == sent and len(got) == 20
    off, ack = open5(broker.port, "offmember", clean=False, properties=prop(raw5.SESSION_EXPIRY, 300))
    assert ack.session_present == 1
    assert nothing_more(off, 0.3)
    off.close()
    on.close()


def test_all_members_offline_messages_queued(broker):
    """All members offline (persistent sessions): QoS 1 messages are queued on a member and
    delivered when it reconnects; together the members get each message exactly once.
    Covers 5.0:MQTT-3.1.2-23"""
    for name in ("offA", "offB"):
        c, _ = open5(broker.port, name, properties=prop(raw5.SESSION_EXPIRY, 300))
        subscribe_ok(c, [("$share/grp/q/t", 1)])
        c.send(raw5.disconnect(0))
        assert c.closed_by_server()
        c.close()
    sent = _publish_n(broker.port, "q/t", 30, qos=1)
    back = []
    for name in ("offA", "offB"):
        c, ack = open5(broker.port, name, clean=False, properties=prop(raw5.SESSION_EXPIRY, 300))
        assert ack.session_present == 1
        back.append(c)
    got = collect(back, 30)
    everything = [p for msgs in got for p in _payloads(msgs)]
    assert sorted(everything) == sorted(sent)
    for c in back:
        assert nothing_more(c, 0.1)
        c.close()


def test_v311_clients_can_share(broker):
    """3.1.1 clients subscribe to $share/... (granted QoS in SUBACK) and share messages with a 5.0
    member, each message once. (3.1.1 has no shared subscriptions: a VerneMQ extension, no
    normative statement.)"""
    a, _ = open311(broker.port, "v311a")
    b, _ = open311(broker.port, "v311b")
    c, _ = open5(broker.port, "v5c")
    for x in (a, b):
        assert subscribe_ok(x, [("$share/mix/mx", 1)], v5=False).reasons == [1]
    subscribe_ok(c, [("$share/mix/mx", 1)])
    sent = _publish_n(broker.port, "mx", 60, qos=1)
    got = collect([a, b, c], 60, v5=[False, False, True])
    everything = [p for msgs in got for p in _payloads(msgs)]
    assert sorted(everything) == sorted(sent)
    assert all(m.topic == "mx" for msgs in got for m in msgs)
    for x in (a, b, c):
        x.close()


def test_member_qos_respected_and_subscription_id(broker):
    """Each member receives at the QoS it was granted (min of publish and subscription QoS), with
    its own Subscription Identifier.  Covers 5.0:MQTT-4.8.2-3 5.0:MQTT-3.3.4-5 5.0:MQTT-3.8.4-8"""
    q0, _ = open5(broker.port, "q0")
    q1, _ = open5(broker.port, "q1")
    subscribe_ok(q0, [("$share/qs/qq", 0)], properties=prop(raw5.SUBSCRIPTION_ID, 10))
    subscribe_ok(q1, [("$share/qs/qq", 1)], properties=prop(raw5.SUBSCRIPTION_ID, 11))
    _publish_n(broker.port, "qq", 40, qos=1)
    got = collect([q0, q1], 40)
    assert all(m.qos == 0 and m.props.all(raw5.SUBSCRIPTION_ID) == [10] for m in got[0])
    assert all(m.qos == 1 and m.props.all(raw5.SUBSCRIPTION_ID) == [11] for m in got[1])
    assert len(got[0]) + len(got[1]) == 40
    q0.close()
    q1.close()


def test_unsubscribe_shared(broker):
    """UNSUBSCRIBE $share/g/f removes that member: the remaining member gets everything.
    Covers 5.0:MQTT-3.10.4-1 5.0:MQTT-3.10.4-2"""
    a, _ = open5(broker.port, "ua")
    b, _ = open5(broker.port, "ub")
    for x in (a, b):
        subscribe_ok(x, [("$share/u/us", 0)])
    a.send(raw5.unsubscribe(["$share/u/us"], packet_id=3))
    assert Ack(a.recv_packet()).reasons == [0]
    sent = _publish_n(broker.port, "us", 20)
    got = collect([b], 20)[0]
    assert set(_payloads(got)) == sent
    assert nothing_more(a, 0.2)
    a.close()
    b.close()


@pytest.mark.parametrize("qos", [1, 2])
def test_member_refusal_is_not_redelivered(broker, qos):
    """A member that answers a shared-subscription PUBLISH with PUBACK (QoS 1) or PUBREC (QoS 2)
    0x80 ends that message: it is not sent to another member, nor again to the same one.
    Covers 5.0:MQTT-4.8.2-6 5.0:MQTT-4.4.0-2"""
    a, _ = open5(broker.port, "ra")
    b, _ = open5(broker.port, "rb")
    for x in (a, b):
        subscribe_ok(x, [("$share/r/rf", qos)])
    pub, _ = open5(broker.port, "pub")
    pub.send(publish5("rf", b"only", qos=qos, packet_id=1))
    assert Ack(pub.recv_packet()).reason == 0
    got = collect([a, b], 1, ack=False)
    chosen, other = (a, b) if got[0] else (b, a)
    m = (got[0] or got[1])[0]
    assert m.qos == qos and m.payload == b"only"
    chosen.send(raw5.puback(m.packet_id, 0x80) if qos == 1 else raw5.pubrec(m.packet_id, 0x80))
    assert nothing_more(chosen, 0.3)  # no PUBREL after a refusing PUBREC, no re-send
    assert nothing_more(other, 0.1)
    if qos == 2:
        pub.send(raw5.pubrel(1))
        assert Ack(pub.recv_packet()).type == raw5.PUBCOMP
    for x in (a, b, pub):
        x.close()


def test_no_local_on_shared_subscription_is_protocol_error(broker):
    """5.0: No Local = 1 on a shared subscription is a Protocol Error: DISCONNECT 0x82, no SUBACK.
    Covers 5.0:MQTT-3.8.3-4 5.0:MQTT-4.13.1-1"""
    c, _ = open5(broker.port, "nlshare")
    c.send(raw5.subscribe5([("$share/g/nl", sub_opts(qos=1, no_local=True))]))
    raw5.expect_disconnect(c, raw5.PROTOCOL_ERROR)
    c.close()
    raw5.check_alive(broker.port)


@pytest.mark.parametrize("version", [4, 5])
def test_invalid_share_filters_fail_in_suback(broker, version):
    """Invalid shared filters ($share/g without filter, empty ShareName, wildcard in ShareName,
    empty filter) fail in SUBACK (0x8F on 5.0, 0x80 on 3.1.1); valid ones in the same SUBSCRIBE
    are granted.  Covers 5.0:MQTT-4.8.2-1 5.0:MQTT-4.8.2-2 5.0:MQTT-3.9.3-2 3.1.1:MQTT-3.9.3-2"""
    filters = ["$share/g", "$share//a", "$share/g+/a", "$share/g#/a", "$share/g/", "$share/ok/a"]
    if version == 5:
        c, _ = open5(broker.port, "inv")
        ack = subscribe_ok(c, [(f, 1) for f in filters])
        fail = raw5.TOPIC_FILTER_INVALID
    else:
        c, _ = open311(broker.port, "inv")
        ack = subscribe_ok(c, [(f, 1) for f in filters], v5=False)
        fail = 0x80
    assert ack.reasons == [fail] * 5 + [1]
    c.close()
