"""05: sessions: persistent (clean session 0) versus clean, MQTT 5 Session Expiry Interval and
Clean Start, session takeover, client identifiers (assigned, empty, too long)."""
import time

import pytest

import rawmqtt
from clients import (DISCONNECT, P_ASSIGNED_CLIENT_ID, P_MESSAGE_EXPIRY, P_SESSION_EXPIRY, disconnect, parse_connack,
                     parse_disconnect, props)
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)
from conftest import wait_for


def _expired_logged(broker, client_id):
    return f"session '{client_id}' expired" in broker.read_log()


@pytest.mark.parametrize("version", [3, 4])
def test_persistent_session_keeps_subscriptions_and_queued_qos1(broker, clients, version):
    """A clean session 0 client that disconnects keeps its subscriptions; QoS 1 and 2 messages
    published meanwhile are queued and delivered on reconnect (Session Present = 1) in order,
    QoS 0 messages are not; and the subscription is still live afterwards.
    [3.1.1:MQTT-3.1.2-4] [3.1.1:MQTT-3.1.2-5] [3.1.1:MQTT-3.2.2-2] [3.1.1:MQTT-4.1.0-1]
    [3.1.1:MQTT-3.1.3-2] [3.1.1:MQTT-4.5.0-1] [3.1.1:MQTT-3.1.4-3]"""
    c = clients.raw(broker, "persist", version=version, clean=False)
    assert (c.session_present, c.rc) == (0, 0)
    c.subscribe(("ps/#", 2))
    c.disconnect()
    pub = clients.raw(broker, "pspub", version=version)
    pub.publish("ps/a", b"q1-first", qos=1)
    pub.publish("ps/a", b"q0-dropped", qos=0)
    pub.publish("ps/b", b"q2-second", qos=2)
    pub.publish("ps/a", b"q1-third", qos=1)

    c = clients.raw(broker, "persist", version=version, clean=False)
    assert (c.session_present, c.rc) == (1, 0)
    got = c.publishes(3, ack=True)
    assert [(m.payload, m.qos, m.dup) for m in got] == [(b"q1-first", 1, False), (b"q2-second", 2, False),
                                                         (b"q1-third", 1, False)]
    assert c.nothing_for(0.3), "QoS 0 message was queued for an offline session"
    pub.publish("ps/c", b"after", qos=0)
    m = c.expect_publish()
    assert (m.topic, m.payload) == ("ps/c", b"after")


def test_clean_session_discards_state(broker, clients):
    """Connecting with clean session 1 discards the stored session (Session Present 0, old
    subscription gone), and that clean session is not reused by a later clean session 0.
    [3.1.1:MQTT-3.1.2-6] [3.1.1:MQTT-3.2.2-1] [3.1.1:MQTT-3.2.2-3] [3.1.1:MQTT-3.1.4-3]"""
    c = clients.raw(broker, "cleaner", clean=False)
    c.subscribe(("cs/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "cspub")
    pub.publish("cs/t", b"queued", qos=1)
    c = clients.raw(broker, "cleaner", clean=True)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3), "clean session received the old session's queued message"
    pub.publish("cs/t", b"live", qos=1)
    assert c.nothing_for(0.3), "old subscription survived clean session 1"
    c.subscribe(("cs/t", 1))
    c.disconnect()
    c = clients.raw(broker, "cleaner", clean=False)
    assert (c.session_present, c.rc) == (0, 0)
    pub.publish("cs/t", b"nobody", qos=1)
    assert c.nothing_for(0.3), "subscription of a clean session outlived it"


def test_v5_session_expiry_interval(broker, clients):
    """A 5.0 session with Session Expiry Interval 1 s survives a short disconnection (Session
    Present 1, queued message delivered) and is gone once the interval has passed after the
    next disconnection (Session Present 0, subscription and queue discarded).
    [5.0:MQTT-3.1.2-23] [5.0:MQTT-4.1.0-2] [5.0:MQTT-3.1.2-5] [5.0:MQTT-3.1.2-6]
    [5.0:MQTT-3.2.2-3]"""
    expiry = props((P_SESSION_EXPIRY, 1))
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert c.session_present == 0
    c.subscribe(("se/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "sepub", version=5)
    pub.publish("se/t", b"while away", qos=1)
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (1, 0)
    m = c.expect_publish()
    assert m.payload == b"while away"
    c.ack(m)
    c.disconnect()
    t_off = time.time()
    pub.publish("se/t", b"lost with the session", qos=1)
    # The broker logs the expiry; fall back to the time bound if it does not.
    wait_for(lambda: _expired_logged(broker, "exp5"), timeout=4)
    wait_for(lambda: time.time() - t_off >= 1.0, timeout=2)
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3), "expired session still delivered its queue"
    pub.publish("se/t", b"no subscription", qos=1)
    assert c.nothing_for(0.2)


def test_v5_session_expiry_zero_ends_with_connection(broker, clients):
    """Without a Session Expiry Interval (0) the 5.0 session ends when the connection closes.
    [5.0:MQTT-3.1.2-23] [5.0:MQTT-3.1.2-6]"""
    c = clients.raw(broker, "zero5", version=5, clean=False)
    c.subscribe(("z/t", 1))
    c.disconnect()
    c = clients.raw(broker, "zero5", version=5, clean=False)
    assert (c.session_present, c.rc) == (0, 0)


def test_v5_clean_start_discards_session(broker, clients):
    """Clean Start = 1 discards an existing session: Session Present 0, queued messages and
    subscriptions are gone.
    [5.0:MQTT-3.1.2-4] [5.0:MQTT-3.2.2-2]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    c = clients.raw(broker, "cs5", version=5, clean=False, prop_bytes=expiry)
    c.subscribe(("cs5/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "cs5pub", version=5)
    pub.publish("cs5/t", b"queued", qos=1)
    c = clients.raw(broker, "cs5", version=5, clean=True, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3)
    pub.publish("cs5/t", b"live", qos=1)
    assert c.nothing_for(0.3), "subscription survived Clean Start"


def test_takeover_v5_old_connection_gets_disconnect_8e(broker, clients):
    """A second connection with the same client id takes over: the first receives DISCONNECT
    with reason 0x8E and is closed; the second resumes the session (Session Present 1) with
    its subscription.
    [5.0:MQTT-3.1.4-3] [5.0:MQTT-3.1.4-4] [5.0:MQTT-3.14.2-1] [5.0:MQTT-3.2.2-3]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    first = clients.raw(broker, "dup5", version=5, clean=False, prop_bytes=expiry)
    first.subscribe(("to5/t", 1))
    second = clients.raw(broker, "dup5", version=5, clean=False, prop_bytes=expiry)
    assert (second.session_present, second.rc) == (1, 0)
    assert first.closed_by_server(), "first connection not closed"
    assert len(first.pending) == 1 and first.pending[0].type == DISCONNECT, first.pending
    assert parse_disconnect(first.pending[0])[0] == 0x8E
    pub = clients.raw(broker, "to5pub", version=5)
    pub.publish("to5/t", b"to the new one", qos=1)
    m = second.expect_publish()
    assert m.payload == b"to the new one"


def test_takeover_v5_session_expiry_zero_consistent(make_broker, clients):
    """Takeover of a 5.0 connection whose session has Session Expiry 0 by a Clean Start 0
    CONNECT: whatever the server decides, CONNACK must tell the truth. Session Present 1 means
    the session (its subscription) is resumed; Session Present 0 means a fresh session. The
    outcome depends on thread scheduling, so it is tried up to 10 times on each of up to 6
    fresh brokers, stopping at the first inconsistency.
    [5.0:MQTT-3.1.2-5] [5.0:MQTT-3.2.2-3] [5.0:MQTT-3.1.4-3] [5.0:MQTT-4.1.0-1]"""
    inconsistent = []
    for b in range(6):
        broker = make_broker()
        pub = clients.raw(broker, "tz5pub", version=5)
        for i in range(10):
            cid = f"tz5-{i}"
            first = clients.raw(broker, cid, version=5, clean=True)
            first.subscribe((f"tz5/{i}", 1))
            second = clients.raw(broker, cid, version=5, clean=False)
            assert second.rc == 0
            assert first.closed_by_server()
            rc = pub.publish(f"tz5/{i}", b"still subscribed?", qos=1)
            delivered = not second.nothing_for(0.2)
            if delivered:
                second.ack(second.expect_publish())
            if bool(second.session_present) != delivered:
                inconsistent.append(f"broker {b} takeover {i}: Session Present {second.session_present}, "
                                    f"delivered {delivered}, PUBACK reason {rc:#x}")
                break
            first.close()
            second.close()
        if inconsistent:
            break
    assert not inconsistent, inconsistent


def test_takeover_v311_clean_session_state_not_reused(broker, clients):
    """3.1.1: a clean session 1 session lasts as long as its network connection and its state
    must not be reused; a clean session 0 CONNECT taking over that connection starts a new
    session (Session Present 0, no subscription).
    [3.1.1:MQTT-3.1.2-6] [3.1.1:MQTT-3.2.2-3] [3.1.1:MQTT-3.1.4-2]"""
    first = clients.raw(broker, "tz3", clean=True)
    first.subscribe(("tz3/t", 1))
    second = clients.raw(broker, "tz3", clean=False)
    assert first.closed_by_server()
    assert (second.session_present, second.rc) == (0, 0)
    pub = clients.raw(broker, "tz3pub")
    pub.publish("tz3/t", b"old subscription", qos=1)
    assert second.nothing_for(0.3), "the clean session's subscription was reused"


@pytest.mark.parametrize("version", [3, 4])
def test_takeover_v3_old_connection_closed(broker, clients, version):
    """3.1/3.1.1: a second CONNECT with the same client id closes the first connection (no
    DISCONNECT packet exists for the server to send) and gets the session.
    [3.1.1:MQTT-3.1.4-2] [3.1.1:MQTT-3.2.2-2]"""
    first = clients.raw(broker, "dup3", version=version, clean=False)
    first.subscribe(("to3/t", 1))
    second = clients.raw(broker, "dup3", version=version, clean=False)
    assert (second.session_present, second.rc) == (1, 0)
    assert first.closed_by_server()
    assert first.pending == [], "3.x connection was sent a packet on takeover"
    pub = clients.raw(broker, "to3pub", version=version)
    pub.publish("to3/t", b"moved", qos=1)
    m = second.expect_publish()
    assert m.payload == b"moved"


def test_v5_empty_client_id_gets_assigned_identifier(broker, clients):
    """A 5.0 CONNECT with an empty client id is accepted with an Assigned Client Identifier
    that differs between clients and can be used to resume the session.
    [5.0:MQTT-3.1.3-6] [5.0:MQTT-3.1.3-7] [5.0:MQTT-3.2.2-16]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    a = clients.raw(broker, "", version=5, clean=True, prop_bytes=expiry)
    b = clients.raw(broker, "", version=5, clean=True)
    assert (a.rc, a.session_present) == (0, 0) and b.rc == 0
    ida, idb = a.connack_props.get(P_ASSIGNED_CLIENT_ID), b.connack_props.get(P_ASSIGNED_CLIENT_ID)
    assert ida and idb and ida != idb
    a.subscribe(("aci/t", 1))
    a.disconnect()
    again = clients.raw(broker, ida, version=5, clean=False, prop_bytes=expiry)
    assert (again.rc, again.session_present) == (0, 1)
    assert P_ASSIGNED_CLIENT_ID not in again.connack_props


def test_v311_empty_client_id(broker, clients):
    """3.1.1: an empty client id with clean session 0 is refused with CONNACK 20 02 00 02 and
    the connection closed; with clean session 1 it is accepted.
    [3.1.1:MQTT-3.1.3-8] [3.1.1:MQTT-3.1.3-6] [3.1.1:MQTT-3.2.2-4] [3.1.1:MQTT-3.2.2-5]
    [3.1.1:MQTT-3.1.3-9] The refusal is how the server enforces the client's duty to set clean
    session 1 with an empty id: [3.1.1:MQTT-3.1.3-7]"""
    s = clients.raw_socket(broker)
    s.send(rawmqtt.connect("", version=4, clean=False))
    p = s.recv_packet()
    assert (p.type, p.flags, p.body) == (2, 0, b"\x00\x02")
    assert s.closed_by_server()
    ok = clients.raw(broker, "", version=4, clean=True)
    assert (ok.session_present, ok.rc) == (0, 0)
    other = clients.raw(broker, "", version=4, clean=True)
    assert (other.session_present, other.rc) == (0, 0)
    assert ok.nothing_for(0.2), "two clients with empty ids were given the same identity (takeover)"


@pytest.mark.parametrize("value", ["1h", "2d", "1w", "1m", "1y", "never"])
def test_persistent_client_expiration_config_accepted(make_broker, clients, value):
    """`persistent_client_expiration` accepts VerneMQ's expiration forms; persistent sessions
    work under it (a session shorter than the setting survives a reconnect).
    [3.1.1:MQTT-3.1.2-4] [3.1.1:MQTT-3.2.2-2]"""
    broker = make_broker(extra_conf=f"persistent_client_expiration = {value}")
    c = clients.raw(broker, "pce", clean=False)
    c.subscribe(("pce/t", 1))
    c.disconnect()
    c = clients.raw(broker, "pce", clean=False)
    assert (c.session_present, c.rc) == (1, 0)


@pytest.mark.parametrize("version", [3, 4, 5])
def test_max_client_id_size_enforced(make_broker, clients, version):
    """With max_client_id_size = 10, a 10-byte id is accepted and an 11-byte id refused:
    CONNACK return code 2 (3.1/3.1.1) or reason 0x85 (5.0), then the connection is closed.
    [3.1.1:MQTT-3.1.3-9] [5.0:MQTT-3.1.3-8] [3.1.1:MQTT-3.2.2-5] [5.0:MQTT-3.2.2-7]
    [3.1.1:MQTT-3.2.2-4] [5.0:MQTT-3.2.2-6]"""
    broker = make_broker(extra_conf="max_client_id_size = 10")
    ok = clients.raw(broker, "a" * 10, version=version)
    assert ok.rc == 0
    s = clients.raw_socket(broker)
    s.send(rawmqtt.connect("b" * 11, version=version))
    sp, rc, _ = parse_connack(s.recv_packet(), version)
    assert (sp, rc) == (0, 0x85 if version == 5 else 2)
    assert s.closed_by_server()


def test_default_client_id_size_23_accepted(broker, clients):
    """By default a 23-byte client id of 0-9a-zA-Z is accepted, for 3.1 too.
    [3.1.1:MQTT-3.1.3-5] [5.0:MQTT-3.1.3-5]"""
    for v in (3, 4, 5):
        c = clients.raw(broker, ("Az09" * 6)[:22] + str(v), version=v)
        assert c.rc == 0


def test_v5_disconnect_can_shorten_session_expiry_to_zero(broker, clients):
    """A Session Expiry Interval of 0 sent in DISCONNECT replaces the one from CONNECT: the
    session ends with the connection.
    [5.0:MQTT-3.1.2-23] [5.0:MQTT-4.1.0-2]"""
    c = clients.raw(broker, "shorten", version=5, clean=False, prop_bytes=props((P_SESSION_EXPIRY, 60)))
    c.subscribe(("sh/t", 1))
    c.disconnect(prop_bytes=props((P_SESSION_EXPIRY, 0)))
    c = clients.raw(broker, "shorten", version=5, clean=False)
    assert (c.session_present, c.rc) == (0, 0)


def test_v5_disconnect_nonzero_expiry_after_zero_is_protocol_error(broker, clients):
    """Setting a non-zero Session Expiry Interval in DISCONNECT after 0 in CONNECT is a
    Protocol Error: the server closes the connection (DISCONNECT 0x82 allowed, without a
    Session Expiry Interval) and the session is not kept.
    [5.0:MQTT-4.13.1-1] [5.0:MQTT-3.14.2-2] [5.0:MQTT-3.14.2-1]"""
    c = clients.raw(broker, "latexp", version=5, clean=False)
    c.subscribe(("le/t", 1))
    c.send(disconnect(5, 0, props((P_SESSION_EXPIRY, 30))))
    assert c.closed_by_server()
    for p in c.pending:
        assert p.type == DISCONNECT, c.pending
        rc, pr = parse_disconnect(p)
        assert rc == 0x82 and P_SESSION_EXPIRY not in pr
    c = clients.raw(broker, "latexp", version=5, clean=False)
    assert (c.session_present, c.rc) == (0, 0)


def test_v5_max_session_expiry_interval_caps_and_is_announced(make_broker, clients):
    """With max_session_expiry_interval = 1 a client asking for 3600 s is told 1 s in CONNACK
    and its session is gone after that.
    [5.0:MQTT-4.1.0-2] [5.0:MQTT-3.2.2-3]"""
    broker = make_broker(extra_conf="max_session_expiry_interval = 1")
    ask = props((P_SESSION_EXPIRY, 3600))
    c = clients.raw(broker, "capped", version=5, clean=False, prop_bytes=ask)
    assert c.connack_props.get(P_SESSION_EXPIRY) == 1
    c.subscribe(("cap/t", 1))
    c.disconnect()
    t_off = time.time()
    wait_for(lambda: _expired_logged(broker, "capped"), timeout=4)
    wait_for(lambda: time.time() - t_off >= 1.0, timeout=2)
    c = clients.raw(broker, "capped", version=5, clean=False, prop_bytes=ask)
    assert (c.session_present, c.rc) == (0, 0)


def test_max_offline_messages_limits_queue(make_broker, clients):
    """With max_offline_messages = 2 an offline persistent session keeps the first two QoS 1
    messages (fifo) and drops the rest.
    [3.1.1:MQTT-3.1.2-5]"""
    broker = make_broker(extra_conf="max_offline_messages = 2")
    c = clients.raw(broker, "offq", clean=False)
    c.subscribe(("oq/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "offqpub")
    for i in range(5):
        pub.publish("oq/t", f"m{i}".encode(), qos=1)
    c = clients.raw(broker, "offq", clean=False)
    assert c.session_present == 1
    got = c.publishes(2, ack=True)
    assert [m.payload for m in got] == [b"m0", b"m1"]
    assert c.nothing_for(0.3)


def test_v5_offline_queued_message_expiry(broker, clients):
    """A message queued for an offline 5.0 session is dropped once its Message Expiry Interval
    (1 s) has passed; one with a longer interval is delivered with the interval reduced by the
    time it waited. Probed with one persistent session per attempt, so no attempt resumes a
    session a later attempt needs.
    A QoS 2 message already sent when it expires is still re-sent on reconnect.
    [5.0:MQTT-3.3.2-5] [5.0:MQTT-3.3.2-6] [5.0:MQTT-3.1.2-5] [5.0:MQTT-4.3.3-7] [5.0:MQTT-4.4.0-1]"""
    session = props((P_SESSION_EXPIRY, 60))
    n = 30
    for i in range(n):
        c = clients.raw(broker, f"mx{i}", version=5, clean=False, prop_bytes=session)
        c.subscribe(("mx/t", 1))
        c.disconnect()
    inflight = clients.raw(broker, "mxinflight", version=5, clean=False, prop_bytes=session)
    inflight.subscribe(("mx/t", 2))
    pub = clients.raw(broker, "mxpub", version=5)
    t0 = time.time()
    pub.publish("mx/t", b"short", qos=2, prop_bytes=props((P_MESSAGE_EXPIRY, 1)))
    sent = inflight.expect_publish()
    assert (sent.payload, sent.qos) == (b"short", 2)
    inflight.drop()  # no PUBREC: the QoS 2 PUBLISH stays in flight
    pub.publish("mx/t", b"long", qos=1, prop_bytes=props((P_MESSAGE_EXPIRY, 60)))
    first_without_short = None
    for i in range(n):
        c = clients.raw(broker, f"mx{i}", version=5, clean=False, prop_bytes=session)
        assert c.session_present == 1
        got = []
        while not c.nothing_for(0.1):
            m = c.expect_publish()
            c.ack(m)
            got.append(m)
        payloads = [m.payload for m in got]
        assert payloads in ([b"short", b"long"], [b"long"]), payloads
        assert got[-1].props.get(P_MESSAGE_EXPIRY) <= 60
        if i == 0:
            assert payloads == [b"short", b"long"], "message expired at once"
        if payloads == [b"long"]:
            first_without_short = time.time() - t0
            assert got[-1].props.get(P_MESSAGE_EXPIRY) <= 59
            break
        c.close()
    assert first_without_short is not None, "expired message still delivered"
    assert first_without_short >= 0.95
    # A QoS 2 PUBLISH already sent is not subject to expiry: it is re-sent on reconnect.
    inflight = clients.raw(broker, "mxinflight", version=5, clean=False, prop_bytes=session)
    again = inflight.publishes(2)
    assert [(m.payload, m.qos, m.dup) for m in again] == [(b"short", 2, True), (b"long", 1, False)]
    assert again[0].packet_id == sent.packet_id
    for m in again:
        inflight.ack(m)
