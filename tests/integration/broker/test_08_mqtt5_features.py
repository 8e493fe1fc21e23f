"""08: MQTT 5.0 features end to end, with raw bytes so every property and reason code is exact."""
import time

import pytest

import raw5
from raw5 import (open5, subscribe_ok, publish5, subscribe5, sub_opts, prop, props, user, Publish, Ack,
                  recv_publishes, nothing_more, expect_disconnect)


# ---- Subscription identifiers, No Local, Retain As Published, Retain Handling ------------------

def test_subscription_identifiers_delivered(broker):
    """Overlapping subscriptions give one PUBLISH carrying every matching Subscription Identifier;
    a subscription without one adds none; a retained message sent on subscribe carries the id of
    that subscription.
    Covers 5.0:MQTT-3.3.4-2 5.0:MQTT-3.3.4-3 5.0:MQTT-3.3.4-4 5.0:MQTT-3.8.4-3"""
    sub, ack = open5(broker.port, "sub")
    subscribe_ok(sub, [("sid/+", 1)], packet_id=1, properties=prop(raw5.SUBSCRIPTION_ID, 5))
    subscribe_ok(sub, [("sid/x", 0)], packet_id=2, properties=prop(raw5.SUBSCRIPTION_ID, 268435455))
    subscribe_ok(sub, [("sid/#", 0)], packet_id=3)  # no identifier
    pub, _ = open5(broker.port, "pub")
    pub.send(publish5("sid/x", b"m1", qos=1, packet_id=1))
    assert Ack(pub.recv_packet()).reason == 0
    m = Publish(sub.recv_packet())
    assert (m.topic, m.payload, m.qos) == ("sid/x", b"m1", 1)  # one copy at the highest QoS
    assert sorted(m.props.all(raw5.SUBSCRIPTION_ID)) == [5, 268435455]
    sub.send(raw5.puback(m.packet_id))
    assert nothing_more(sub, 0.2)  # a single copy

    pub.send(publish5("sid/y", b"m2"))
    m = Publish(sub.recv_packet())
    assert m.payload == b"m2" and m.props.all(raw5.SUBSCRIPTION_ID) == [5]

    # Re-subscribing replaces the subscription, identifier included.
    subscribe_ok(sub, [("sid/+", 1)], packet_id=4, properties=prop(raw5.SUBSCRIPTION_ID, 9))
    pub.send(publish5("sid/y", b"m3"))
    m = Publish(sub.recv_packet())
    assert m.payload == b"m3" and m.props.all(raw5.SUBSCRIPTION_ID) == [9]

    # Retained message delivered because of a new subscription: that subscription's id.
    pub.send(publish5("ret/sid", b"kept", retain=True, qos=1, packet_id=2))
    Ack(pub.recv_packet())
    sub.send(subscribe5([("ret/#", 0)], packet_id=5, properties=prop(raw5.SUBSCRIPTION_ID, 77)))
    assert Ack(sub.recv_packet()).reasons == [0]
    m = Publish(sub.recv_packet())
    assert m.topic == "ret/sid" and m.retain == 1 and m.props.all(raw5.SUBSCRIPTION_ID) == [77]
    sub.close()
    pub.close()


def test_no_local(broker):
    """No Local = 1: the client's own messages are not sent back to it; other clients' are. Without
    No Local the client receives its own messages.
    Covers 5.0:MQTT-3.8.3-3"""
    c, _ = open5(broker.port, "nl")
    subscribe_ok(c, [("nl/a", sub_opts(qos=1, no_local=True)), ("nl/b", sub_opts(qos=1))])
    c.send(publish5("nl/a", b"own-a", qos=1, packet_id=10))
    ack = Ack(c.recv_packet())
    assert ack.type == raw5.PUBACK and ack.packet_id == 10
    assert ack.reason == raw5.NO_MATCHING_SUBSCRIBERS  # its only subscriber is itself, with No Local
    c.send(publish5("nl/b", b"own-b"))
    m = Publish(c.recv_packet())
    assert (m.topic, m.payload) == ("nl/b", b"own-b")
    other, _ = open5(broker.port, "other")
    other.send(publish5("nl/a", b"from-other"))
    m = Publish(c.recv_packet())
    assert (m.topic, m.payload) == ("nl/a", b"from-other")
    assert nothing_more(c, 0.2)
    c.close()
    other.close()


def test_retain_as_published(broker):
    """Retain As Published 1 keeps the RETAIN flag of the PUBLISH when forwarding; 0 clears it.
    Covers 5.0:MQTT-3.3.1-12 5.0:MQTT-3.3.1-13"""
    rap, _ = open5(broker.port, "rap")
    subscribe_ok(rap, [("rap/t", sub_opts(retain_as_published=True))])
    plain, _ = open5(broker.port, "plain")
    subscribe_ok(plain, [("rap/t", sub_opts())])
    pub, _ = open5(broker.port, "pub")
    pub.send(publish5("rap/t", b"r1", retain=True))
    assert Publish(rap.recv_packet()).retain == 1
    assert Publish(plain.recv_packet()).retain == 0
    pub.send(publish5("rap/t", b"r2", retain=False))
    assert Publish(rap.recv_packet()).retain == 0
    assert Publish(plain.recv_packet()).retain == 0
    for c in (rap, plain, pub):
        c.close()


def test_retain_handling(broker):
    """Retain Handling 0: retained messages on every subscribe; 1: only when the subscription is new;
    2: never.  Covers 5.0:MQTT-3.3.1-9 5.0:MQTT-3.3.1-10 5.0:MQTT-3.3.1-11 5.0:MQTT-3.8.4-4"""
    pub, _ = open5(broker.port, "pub")
    pub.send(publish5("rh/t", b"kept", retain=True, qos=1))
    Ack(pub.recv_packet())
    c, _ = open5(broker.port, "rh")
    for rh, pid, expect in ((0, 1, True), (0, 2, True), (1, 3, False)):
        subscribe_ok(c, [("rh/t", sub_opts(retain_handling=rh))], packet_id=pid)
        if expect:
            m = Publish(c.recv_packet())
            assert m.payload == b"kept" and m.retain == 1
        else:
            assert nothing_more(c, 0.2)
    subscribe_ok(c, [("rh/+", sub_opts(retain_handling=1))], packet_id=4)  # new: sent
    assert Publish(c.recv_packet()).payload == b"kept"
    subscribe_ok(c, [("rh/#", sub_opts(retain_handling=2))], packet_id=5)  # never
    assert nothing_more(c, 0.2)
    c.close()
    pub.close()


# ---- Topic aliases -------------------------------------------------------------------------------

def test_topic_alias_client_to_server(make_broker):
    """Client-to-server aliases: CONNACK announces Topic Alias Maximum 10; an alias set with a
    topic is used by later PUBLISHes with an empty topic; it can be remapped; alias mappings do not
    carry over to a new connection.
    Covers 5.0:MQTT-3.3.2-12 5.0:MQTT-3.3.2-7 5.0:MQTT-3.2.2-17"""
    b = make_broker("topic_alias_max_broker = 10")
    sub, _ = open5(b.port, "sub")
    subscribe_ok(sub, [("ta/#", 0)])
    c, ack = open5(b.port, "aliaser")
    assert ack.props.get(raw5.TOPIC_ALIAS_MAXIMUM) == 10
    c.send(publish5("ta/one", b"1", properties=prop(raw5.TOPIC_ALIAS, 1)))
    c.send(publish5("", b"2", properties=prop(raw5.TOPIC_ALIAS, 1)))
    c.send(publish5("ta/ten", b"3", properties=prop(raw5.TOPIC_ALIAS, 10)))
    c.send(publish5("", b"4", qos=1, packet_id=5, properties=prop(raw5.TOPIC_ALIAS, 10)))
    c.send(publish5("ta/remapped", b"5", properties=prop(raw5.TOPIC_ALIAS, 1)))
    c.send(publish5("", b"6", properties=prop(raw5.TOPIC_ALIAS, 1)))
    ack = Ack(c.recv_packet())
    assert ack.packet_id == 5 and ack.reason == 0
    got = [(m.topic, m.payload) for m in recv_publishes(sub, 6)]
    assert got == [("ta/one", b"1"), ("ta/one", b"2"), ("ta/ten", b"3"), ("ta/ten", b"4"),
                   ("ta/remapped", b"5"), ("ta/remapped", b"6")]
    # The subscriber did not ask for aliases: every PUBLISH it got has the full topic, no alias.
    c.close()
    c2, _ = open5(b.port, "aliaser")
    c2.send(publish5("", b"7", properties=prop(raw5.TOPIC_ALIAS, 1)))
    expect_disconnect(c2, raw5.PROTOCOL_ERROR)
    c2.close()
    assert nothing_more(sub, 0.2)
    sub.close()


def test_topic_alias_server_to_client(make_broker):
    """Server-to-client aliases (topic_alias_max_client = 10, client Topic Alias Maximum 2): the
    first message on a topic carries the topic and an alias, the second on that topic has an
    empty topic and the same alias; aliases never exceed the client's maximum; a client that did
    not send Topic Alias Maximum gets no aliases.
    Covers 5.0:MQTT-3.1.2-26 5.0:MQTT-3.1.2-27 5.0:MQTT-3.3.2-8 5.0:MQTT-3.3.2-11"""
    b = make_broker("topic_alias_max_client = 10")
    c, _ = open5(b.port, "aliased", properties=prop(raw5.TOPIC_ALIAS_MAXIMUM, 2))
    subscribe_ok(c, [("out/#", 1)])
    plain, _ = open5(b.port, "plain")
    subscribe_ok(plain, [("out/#", 0)])
    pub, _ = open5(b.port, "pub")
    for t, body in (("out/a", b"1"), ("out/a", b"2"), ("out/b", b"3"), ("out/c", b"4"), ("out/b", b"5"),
                    ("out/c", b"6")):
        pub.send(publish5(t, body))
    ms = recv_publishes(c, 6)
    seen = [(m.topic, m.props.get(raw5.TOPIC_ALIAS), m.payload) for m in ms]
    assert seen[0][0] == "out/a" and seen[0][1] in (1, 2)
    a_alias = seen[0][1]
    assert seen[1] == ("", a_alias, b"2")
    assert seen[2][0] == "out/b" and seen[2][1] in (1, 2) and seen[2][1] != a_alias
    b_alias = seen[2][1]
    # Both aliases are in use: out/c must be sent with its full topic (an alias, if any, <= 2).
    assert seen[3][0] == "out/c" and seen[3][2] == b"4"
    assert seen[3][1] in (None, 1, 2)
    assert seen[4] == ("", b_alias, b"5") or (seen[4][0] == "out/b" and seen[4][2] == b"5")
    assert seen[5][2] == b"6"
    assert seen[5][0] == "out/c" or (seen[5][0] == "" and seen[3][1] is not None and seen[5][1] == seen[3][1])
    for m in ms:
        alias = m.props.get(raw5.TOPIC_ALIAS)
        assert alias is None or 1 <= alias <= 2
    for m in recv_publishes(plain, 6):
        assert m.topic.startswith("out/") and raw5.TOPIC_ALIAS not in m.props
    for x in (c, plain, pub):
        x.close()


def test_topic_alias_not_set_by_a_dropped_message(make_broker):
    """A message too large for the client (Maximum Packet Size 100) is dropped, so it must not
    establish a server-to-client alias: the next message on that topic carries the full topic with
    the alias, and only the one after that uses the alias alone.
    Covers 5.0:MQTT-3.1.2-25 5.0:MQTT-3.3.2-11"""
    b = make_broker("topic_alias_max_client = 10")
    c, _ = open5(b.port, "al", properties=props((raw5.TOPIC_ALIAS_MAXIMUM, 5), (raw5.MAXIMUM_PACKET_SIZE, 100)))
    subscribe_ok(c, [("al/t", 0)])
    for body in (b"x" * 200, b"small", b"small2"):
        c.send(publish5("al/t", body))
    first, second = recv_publishes(c, 2)
    assert (first.topic, first.payload) == ("al/t", b"small")
    alias = first.props.get(raw5.TOPIC_ALIAS)
    assert alias is not None and 1 <= alias <= 5
    assert (second.topic, second.payload, second.props.get(raw5.TOPIC_ALIAS)) == ("", b"small2", alias)
    c.close()


# ---- Flow control (Receive Maximum) --------------------------------------------------------------

def test_receive_maximum_broker_side(make_broker):
    """receive_max_broker = 3 is announced in CONNACK; 3 unacknowledged QoS 2 PUBLISHes are fine,
    completing one frees a slot, and going over the limit gets DISCONNECT 0x93.
    Covers 5.0:MQTT-3.3.4-7 5.0:MQTT-4.9.0-1"""
    b = make_broker("receive_max_broker = 3")
    c, ack = open5(b.port, "rm")
    assert ack.props.get(raw5.RECEIVE_MAXIMUM) == 3
    for pid in (1, 2, 3):
        c.send(publish5("rm/t", b"x", qos=2, packet_id=pid))
        a = Ack(c.recv_packet())
        assert a.type == raw5.PUBREC and a.packet_id == pid
    c.send(raw5.pubrel(1))
    a = Ack(c.recv_packet())
    assert a.type == raw5.PUBCOMP and a.packet_id == 1 and a.reason == 0
    c.send(publish5("rm/t", b"x", qos=2, packet_id=4))  # 3 pending again: allowed
    assert Ack(c.recv_packet()).type == raw5.PUBREC
    c.send(publish5("rm/t", b"x", qos=2, packet_id=5))  # the 4th unacknowledged
    expect_disconnect(c, raw5.RECEIVE_MAXIMUM_EXCEEDED)
    c.close()
    raw5.check_alive(b.port)


def test_receive_maximum_client_side(broker):
    """The client's Receive Maximum 2: the broker keeps at most 2 unacknowledged QoS 1 PUBLISHes
    outstanding and sends the next one only after a PUBACK; PINGRESP is not held back.
    Covers 5.0:MQTT-3.3.4-9 5.0:MQTT-3.3.4-10 5.0:MQTT-4.9.0-2 5.0:MQTT-4.9.0-3"""
    c, _ = open5(broker.port, "slow", properties=prop(raw5.RECEIVE_MAXIMUM, 2))
    subscribe_ok(c, [("flow/t", 1)])
    pub, _ = open5(broker.port, "pub")
    for i in range(5):
        pub.send(publish5("flow/t", b"%d" % i, qos=1, packet_id=i + 1))
        assert Ack(pub.recv_packet()).reason == 0
    first = recv_publishes(c, 2)
    assert [m.payload for m in first] == [b"0", b"1"]
    c.send(raw5.PINGREQ_BYTES)
    p = c.recv_packet()
    assert p.type == raw5.PINGRESP, f"expected only PINGRESP while the quota is used up, got {p!r}"
    c.send(raw5.puback(first[0].packet_id))
    m = Publish(c.recv_packet())
    assert m.payload == b"2"
    assert nothing_more(c, 0.2)
    c.send(raw5.puback(first[1].packet_id))
    c.send(raw5.puback(m.packet_id))
    assert [m.payload for m in recv_publishes(c, 2, ack=True)] == [b"3", b"4"]
    c.close()
    pub.close()


# ---- Maximum Packet Size from the client --------------------------------------------------------

def test_client_maximum_packet_size(broker):
    """The client's Maximum Packet Size 100: larger messages are not sent to it (and, QoS 1, are
    treated as delivered: later messages still flow), smaller ones still are; another client with
    no limit gets everything.
    Covers 5.0:MQTT-3.1.2-24 5.0:MQTT-3.1.2-25"""
    small, _ = open5(broker.port, "small", properties=prop(raw5.MAXIMUM_PACKET_SIZE, 100))
    subscribe_ok(small, [("mps/#", 1)])
    big, _ = open5(broker.port, "big")
    subscribe_ok(big, [("mps/#", 1)])
    pub, _ = open5(broker.port, "pub")
    sizes = [10, 200, 50, 1000, 70]
    for i, n in enumerate(sizes):
        pub.send(publish5("mps/t", bytes([65 + i]) * n, qos=1, packet_id=i + 1))
        Ack(pub.recv_packet())
    got_big = recv_publishes(big, 5, ack=True)
    assert [len(m.payload) for m in got_big] == sizes
    got_small = recv_publishes(small, 3, ack=True)
    assert [len(m.payload) for m in got_small] == [10, 50, 70]
    assert nothing_more(small, 0.3)
    for x in (small, big, pub):
        x.close()


# ---- Message expiry -----------------------------------------------------------------------------

def test_message_expiry_offline_queue(broker):
    """Messages queued for an offline persistent session: one whose Message Expiry Interval passed
    is not delivered; one still valid is delivered with the interval reduced by the time it waited;
    one without expiry has no interval. Expired retained messages are not sent to new subscribers.
    Covers 5.0:MQTT-3.3.2-5 5.0:MQTT-3.3.2-6 5.0:MQTT-3.1.2-23 5.0:MQTT-3.2.2-3"""
    c, _ = open5(broker.port, "exp", clean=True, properties=prop(raw5.SESSION_EXPIRY, 300))
    subscribe_ok(c, [("exp/#", 1)])
    c.send(raw5.disconnect(0))
    c.close()
    pub, _ = open5(broker.port, "pub")
    t0 = time.time()
    pub.send(publish5("exp/short", b"short", qos=1, packet_id=1, properties=prop(raw5.MESSAGE_EXPIRY, 1)))
    pub.send(publish5("exp/long", b"long", qos=1, packet_id=2, properties=prop(raw5.MESSAGE_EXPIRY, 100)))
    pub.send(publish5("exp/none", b"none", qos=1, packet_id=3))
    pub.send(publish5("expret/short", b"r-short", qos=1, packet_id=4, retain=True,
                      properties=prop(raw5.MESSAGE_EXPIRY, 1)))
    pub.send(publish5("expret/long", b"r-long", qos=1, packet_id=5, retain=True,
                      properties=prop(raw5.MESSAGE_EXPIRY, 100)))
    acks = [Ack(pub.recv_packet()) for _ in range(5)]
    assert [a.reason for a in acks] == [0, 0, 0, raw5.NO_MATCHING_SUBSCRIBERS, raw5.NO_MATCHING_SUBSCRIBERS]
    # The 1 s expiry has to pass: this waits for time itself, there is no event to wait for.
    time.sleep(max(0.0, t0 + 2.1 - time.time()))
    c, ack = open5(broker.port, "exp", clean=False, properties=prop(raw5.SESSION_EXPIRY, 300))
    assert ack.session_present == 1
    ms = recv_publishes(c, 2, ack=True)
    assert [m.payload for m in ms] == [b"long", b"none"]
    left = ms[0].props.get(raw5.MESSAGE_EXPIRY)
    assert left is not None and 95 <= left <= 98, left
    assert raw5.MESSAGE_EXPIRY not in ms[1].props
    assert nothing_more(c, 0.2)
    # Retained messages expire too: a new subscriber gets only the one still valid, with the
    # remaining interval.
    subscribe_ok(c, [("expret/#", 0)], packet_id=2)
    m = Publish(c.recv_packet())
    assert (m.topic, m.payload, m.retain) == ("expret/long", b"r-long", 1)
    assert 95 <= m.props.get(raw5.MESSAGE_EXPIRY) <= 98
    assert nothing_more(c, 0.2)
    c.close()
    pub.close()


def test_message_expiry_forwarded_online(broker):
    """An online subscriber gets the Message Expiry Interval (at most the value sent).
    Covers 5.0:MQTT-3.3.2-6"""
    c, _ = open5(broker.port, "sub")
    subscribe_ok(c, [("e/t", 0)])
    c.send(publish5("e/t", b"x", properties=prop(raw5.MESSAGE_EXPIRY, 30)))
    m = Publish(c.recv_packet())
    assert m.props.get(raw5.MESSAGE_EXPIRY) in (29, 30)
    c.close()


# ---- Properties forwarded unchanged -------------------------------------------------------------

def test_application_properties_forwarded_unchanged(broker):
    """Response Topic, Correlation Data, User Properties (order and duplicates kept), Content Type
    and Payload Format Indicator reach the subscriber unchanged; per-hop properties (Topic Alias)
    are not forwarded.
    Covers 5.0:MQTT-3.3.2-4 5.0:MQTT-3.3.2-15 5.0:MQTT-3.3.2-16 5.0:MQTT-3.3.2-17 5.0:MQTT-3.3.2-18
    5.0:MQTT-3.3.2-20"""
    sub, _ = open5(broker.port, "sub")
    subscribe_ok(sub, [("app/#", 2)])
    old, _ = raw5.open311(broker.port, "v311sub")
    subscribe_ok(old, [("app/x", 0)], v5=False)
    pub, _ = open5(broker.port, "pub")
    users = [("z", "1"), ("a", "2"), ("z", "3"), ("k\u00e9y", "v\u00e1l"), ("", "")]
    pr = props((raw5.PAYLOAD_FORMAT, 1), (raw5.CONTENT_TYPE, "application/json; charset=utf-8"),
               (raw5.RESPONSE_TOPIC, "reply/to/me"), (raw5.CORRELATION_DATA, b"\x00\x01\xff\xfe"))
    pr += b"".join(user(k, v) for k, v in users)
    payload = "\ufeff{\"k\": \"\u00fc\"}".encode()  # a leading BOM must not be stripped
    pub.send(publish5("app/x", payload, qos=2, packet_id=3, properties=pr))
    assert Ack(pub.recv_packet()).type == raw5.PUBREC
    pub.send(raw5.pubrel(3))
    assert Ack(pub.recv_packet()).type == raw5.PUBCOMP
    m = Publish(sub.recv_packet())
    assert m.qos == 2 and m.payload == payload
    assert m.props.get(raw5.PAYLOAD_FORMAT) == 1
    assert m.props.get(raw5.CONTENT_TYPE) == "application/json; charset=utf-8"
    assert m.props.get(raw5.RESPONSE_TOPIC) == "reply/to/me"
    assert m.props.get(raw5.CORRELATION_DATA) == b"\x00\x01\xff\xfe"
    assert m.props.all(raw5.USER_PROPERTY) == users
    assert raw5.TOPIC_ALIAS not in m.props and raw5.SUBSCRIPTION_ID not in m.props
    # A 3.1.1 subscriber gets the same message as a 3.1.1 PUBLISH: no properties, same payload.
    m4 = Publish(old.recv_packet(), v5=False)
    assert (m4.topic, m4.qos, m4.payload) == ("app/x", 0, payload)
    old.close()
    # Payload Format Indicator 0 is forwarded as sent, too.
    pub.send(publish5("app/y", b"\xff", properties=prop(raw5.PAYLOAD_FORMAT, 0)))
    m = Publish(sub.recv_packet())
    assert m.props.get(raw5.PAYLOAD_FORMAT) == 0 and m.payload == b"\xff"
    sub.close()
    pub.close()


# ---- Reason codes in acknowledgements ------------------------------------------------------------

def test_puback_pubrec_no_matching_subscribers(broker):
    """QoS 1 with no subscriber: PUBACK 0x10; QoS 2: PUBREC 0x10; with a subscriber: 0x00.
    Covers 5.0:MQTT-3.4.2-1 5.0:MQTT-3.5.2-1"""
    c, _ = open5(broker.port, "p")
    c.send(publish5("nobody/here", b"x", qos=1, packet_id=1))
    a = Ack(c.recv_packet())
    assert (a.type, a.packet_id, a.reason) == (raw5.PUBACK, 1, raw5.NO_MATCHING_SUBSCRIBERS)
    c.send(publish5("nobody/here", b"x", qos=2, packet_id=2))
    a = Ack(c.recv_packet())
    assert (a.type, a.packet_id, a.reason) == (raw5.PUBREC, 2, raw5.NO_MATCHING_SUBSCRIBERS)
    c.send(raw5.pubrel(2))
    assert Ack(c.recv_packet()).type == raw5.PUBCOMP
    subscribe_ok(c, [("nobody/#", 0)])
    c.send(publish5("nobody/here", b"x", qos=1, packet_id=3))
    p1, p2 = c.recv_packet(), c.recv_packet()
    acks = [Ack(p) for p in (p1, p2) if p.type == raw5.PUBACK]
    assert len(acks) == 1 and acks[0].reason == 0
    c.close()


def test_unsuback_reason_codes(broker):
    """UNSUBACK: 0x00 for a removed subscription, 0x11 for one that did not exist, one code per
    filter in order.  Covers 5.0:MQTT-3.10.4-4 5.0:MQTT-3.10.4-5 5.0:MQTT-3.10.4-6
    5.0:MQTT-3.11.3-1 5.0:MQTT-3.11.3-2 5.0:MQTT-3.10.4-1 5.0:MQTT-2.2.1-6"""
    c, _ = open5(broker.port, "u")
    subscribe_ok(c, [("u/a", 0), ("u/+", 1)])
    c.send(raw5.unsubscribe(["u/missing", "u/a", "u/#", "u/+"], packet_id=42))
    a = Ack(c.recv_packet())
    assert a.type == raw5.UNSUBACK and a.packet_id == 42
    assert a.reasons == [raw5.NO_SUBSCRIPTION_EXISTED, 0x00, raw5.NO_SUBSCRIPTION_EXISTED, 0x00]
    c.send(publish5("u/a", b"x"))
    assert nothing_more(c, 0.2)
    c.close()


def test_suback_invalid_filter_0x8f(broker):
    """SUBACK 0x8F for invalid filters, granted QoS for valid ones, in order.
    Covers 5.0:MQTT-3.8.4-5 5.0:MQTT-3.8.4-6 5.0:MQTT-3.8.4-7 5.0:MQTT-3.9.3-1 5.0:MQTT-3.9.3-2
    5.0:MQTT-4.7.1-1 5.0:MQTT-4.7.1-2 5.0:MQTT-3.8.4-1 5.0:MQTT-3.8.4-2 5.0:MQTT-2.2.1-6"""
    c, _ = open5(broker.port, "s")
    c.send(subscribe5([("ok/1", 1), ("a/#/b", 0), ("a+", 0), ("ok/+/x", 2), ("#/a", 1), ("a/b#", 0),
                       ("ok/#", 0)], packet_id=7))
    a = Ack(c.recv_packet())
    assert a.type == raw5.SUBACK and a.packet_id == 7
    F = raw5.TOPIC_FILTER_INVALID
    assert a.reasons == [1, F, F, 2, F, F, 0]
    c.close()


# ---- Session expiry at DISCONNECT, will with DISCONNECT 0x04 -----------------------------------

def test_session_expiry_at_disconnect_after_zero_is_protocol_error(broker):
    """Session Expiry Interval 0 (absent) at CONNECT and non-zero at DISCONNECT: the server answers
    DISCONNECT 0x82 and closes; as that is not a normal disconnect the will is published; the
    session is not kept.  Covers 5.0:MQTT-3.1.2-8"""
    w, _ = open5(broker.port, "watch")
    subscribe_ok(w, [("se/will", 0)])
    c, _ = open5(broker.port, "se", will=("se/will", b"w", 0, False))
    subscribe_ok(c, [("se/q", 1)])
    c.send(raw5.disconnect(0, prop(raw5.SESSION_EXPIRY, 60)))
    expect_disconnect(c, raw5.PROTOCOL_ERROR)
    c.close()
    assert Publish(w.recv_packet()).payload == b"w"
    c, ack = open5(broker.port, "se", clean=False)
    assert ack.session_present == 0
    c.close()
    w.close()


def test_session_expiry_changed_at_disconnect(broker):
    """A non-zero Session Expiry at CONNECT may be changed at DISCONNECT: set to 0 the session
    ends (Session Present 0 on reconnect).  Covers 5.0:MQTT-4.1.0-2 5.0:MQTT-3.2.2-3"""
    c, _ = open5(broker.port, "se2", properties=prop(raw5.SESSION_EXPIRY, 60))
    subscribe_ok(c, [("x", 1)])
    c.send(raw5.disconnect(0, prop(raw5.SESSION_EXPIRY, 0)))
    c.close()

    def reconnect_present():
        c2, ack = open5(broker.port, "se2", clean=False, properties=prop(raw5.SESSION_EXPIRY, 60))
        c2.send(raw5.disconnect(0))
        c2.close()
        return ack.session_present
    assert reconnect_present() == 0


@pytest.mark.parametrize("reason,published", [(raw5.DISCONNECT_WITH_WILL, True), (0x00, False)])
def test_disconnect_with_will(broker, reason, published):
    """DISCONNECT 0x04 (Disconnect with Will Message) publishes the will; 0x00 discards it.
    Covers 5.0:MQTT-3.14.4-3 5.0:MQTT-3.1.2-8 5.0:MQTT-3.1.2-10"""
    w, _ = open5(broker.port, "watch")
    subscribe_ok(w, [("dw/#", 0)])
    c, _ = open5(broker.port, "dw", will=("dw/will", b"bye", 0, False,
                                          props((raw5.CONTENT_TYPE, "text/plain"))))
    c.send(raw5.disconnect(reason))
    assert c.closed_by_server()
    c.close()
    if published:
        m = Publish(w.recv_packet())
        assert (m.topic, m.payload) == ("dw/will", b"bye")
        assert m.props.get(raw5.CONTENT_TYPE) == "text/plain"
    else:
        assert nothing_more(w, 0.3)
    w.close()


# ---- CONNACK properties, keep alive -------------------------------------------------------------

def test_connack_properties(make_broker):
    """CONNACK: Assigned Client Identifier for an empty one (usable, unique); Receive Maximum and
    Topic Alias Maximum as configured; Session Expiry Interval when the server caps it; no
    Authentication Method, no Response Information unless asked.
    Covers 5.0:MQTT-3.1.3-6 5.0:MQTT-3.1.3-7 5.0:MQTT-3.2.2-16 5.0:MQTT-3.2.0-1 5.0:MQTT-3.2.2-1
    5.0:MQTT-3.2.2-2 5.0:MQTT-4.12.0-6 5.0:MQTT-3.1.2-28 5.0:MQTT-3.1.4-5"""
    b = make_broker("receive_max_broker = 100\ntopic_alias_max_broker = 7\nmax_session_expiry_interval = 60")
    c, ack = open5(b.port, "", properties=prop(raw5.SESSION_EXPIRY, 3600))
    assert ack.flags == 0 and ack.reason == 0
    assigned = ack.props.get(raw5.ASSIGNED_CLIENT_ID)
    assert assigned and 1 <= len(assigned.encode()) <= 65535
    assert ack.props.get(raw5.RECEIVE_MAXIMUM) == 100
    assert ack.props.get(raw5.TOPIC_ALIAS_MAXIMUM) == 7
    assert ack.props.get(raw5.SESSION_EXPIRY) == 60
    assert raw5.AUTH_METHOD not in ack.props and raw5.RESPONSE_INFO not in ack.props
    c2, ack2 = open5(b.port, "")
    assert ack2.props.get(raw5.ASSIGNED_CLIENT_ID) not in (None, assigned)
    assert raw5.SESSION_EXPIRY not in ack2.props  # not capped: not sent
    # The assigned id is the session's id: a 5.0 client reconnecting with it resumes the session.
    subscribe_ok(c, [("aci", 1)])
    c.send(raw5.disconnect(0))
    c.close()
    c3, ack3 = open5(b.port, assigned, clean=False, properties=prop(raw5.SESSION_EXPIRY, 60))
    assert ack3.session_present == 1 and raw5.ASSIGNED_CLIENT_ID not in ack3.props
    c2.close()
    c3.close()


def test_keep_alive_timeout_v5(broker):
    """Keep Alive 1 s and no packets: after 1.5 s the broker sends DISCONNECT 0x8D and closes.
    A client sending PINGREQ in time stays connected and gets PINGRESP.
    Covers 5.0:MQTT-3.1.2-22 5.0:MQTT-3.2.2-22 5.0:MQTT-3.12.4-1"""
    alive, _ = open5(broker.port, "pinger", keep_alive=1)
    t0 = time.time()
    c, ack = open5(broker.port, "idle", keep_alive=1)
    assert raw5.SERVER_KEEP_ALIVE not in ack.props
    while time.time() - t0 < 1.0:
        alive.send(raw5.PINGREQ_BYTES)
        assert alive.recv_packet().type == raw5.PINGRESP
        time.sleep(0.3)
    d = raw5.Disconnect(c.recv_packet(4))
    elapsed = time.time() - t0
    assert d.reason == raw5.KEEP_ALIVE_TIMEOUT
    assert 1.4 <= elapsed <= 2.5, elapsed
    assert c.recv_packet(2) is None
    c.close()
    # The pinging client is still there.
    alive.send(raw5.PINGREQ_BYTES)
    assert alive.recv_packet().type == raw5.PINGRESP
    alive.close()
