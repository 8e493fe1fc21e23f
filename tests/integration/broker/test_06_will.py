"""06: will messages: published when the connection ends without DISCONNECT (socket closed,
keep-alive timeout, session takeover), not after a normal DISCONNECT; MQTT 5 DISCONNECT 0x04,
Will Delay Interval, will properties; will retain."""
import time

import pytest

from clients import (DISCONNECT, P_CONTENT_TYPE, P_SESSION_EXPIRY, P_USER_PROPERTY, P_WILL_DELAY, parse_disconnect,
                     props)
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)

VERSIONS = [3, 4, 5]


def _watcher(clients, broker, cid="watch", filt="will/#", version=4):
    w = clients.raw(broker, cid, version=version)
    w.subscribe((filt, 2))
    return w


def _will_client(clients, broker, cid, version, topic, payload=b"gone", qos=1, retain=False, will_props=b"",
                 **kw):
    will = (topic, payload, qos, retain, will_props) if version == 5 else (topic, payload, qos, retain)
    c = clients.raw(broker, cid, version=version, will=will, **kw)
    assert c.rc == 0
    return c


@pytest.mark.parametrize("version", VERSIONS)
def test_will_published_on_abnormal_close(broker, clients, version):
    """Closing the socket without DISCONNECT publishes the will with its topic, payload and QoS,
    as a non-retained message, exactly once.
    [3.1.1:MQTT-3.1.2-8] [3.1.1:MQTT-3.1.2-16] [3.1.1:MQTT-3.1.2-10] [5.0:MQTT-3.1.2-7]
    [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.1.2-14] [5.0:MQTT-3.1.2-10]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, f"wc{version}", version, f"will/{version}", b"lost " + bytes([version]), qos=2)
    c.close()
    m = w.expect_publish()
    assert (m.topic, m.payload, m.qos, m.retain, m.dup) == (f"will/{version}", b"lost " + bytes([version]), 2, False,
                                                            False)
    w.ack(m)
    assert w.nothing_for(0.3), "will published twice"


@pytest.mark.parametrize("version", VERSIONS)
def test_no_will_after_normal_disconnect(broker, clients, version):
    """After DISCONNECT (5.0: reason 0x00) the will is discarded: a second client's will
    published later is the only will that arrives.
    [3.1.1:MQTT-3.14.4-3] [3.1.1:MQTT-3.1.2-10] [5.0:MQTT-3.14.4-3] [5.0:MQTT-3.1.2-10]"""
    w = _watcher(clients, broker)
    polite = _will_client(clients, broker, f"polite{version}", version, "will/polite")
    polite.disconnect()
    rude = _will_client(clients, broker, f"rude{version}", version, "will/rude")
    rude.close()
    m = w.expect_publish()
    assert (m.topic, m.payload) == ("will/rude", b"gone")
    w.ack(m)
    assert w.nothing_for(0.3)


def test_no_will_after_disconnect_0x00_explicit(broker, clients):
    """A 5.0 DISCONNECT with the reason code written out as 0x00 also discards the will.
    [5.0:MQTT-3.14.4-3]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, "explicit0", 5, "will/x")
    c.send(b"\xe0\x02\x00\x00")
    c.close()
    assert w.nothing_for(0.4)


def test_disconnect_with_will_message_0x04(broker, clients):
    """DISCONNECT with reason 0x04 (Disconnect with Will Message) ends the connection and
    publishes the will.
    [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.14.4-3]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, "dww", 5, "will/04", b"asked for")
    c.disconnect(rc=0x04)
    m = w.expect_publish()
    assert (m.topic, m.payload, m.qos) == ("will/04", b"asked for", 1)
    w.ack(m)


@pytest.mark.parametrize("version", [4, 5])
def test_will_retain_stored(broker, clients, version):
    """A will with Will Retain 1 is published as a retained message: current subscribers
    get it (3.1.1: RETAIN 0), and a later subscriber gets the stored copy with RETAIN 1.
    [3.1.1:MQTT-3.1.2-17] [5.0:MQTT-3.1.2-15] [3.1.1:MQTT-3.3.1-5] [3.1.1:MQTT-3.3.1-8]
    [3.1.1:MQTT-3.3.1-9]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, f"wr{version}", version, "will/retained", b"last words", qos=1, retain=True)
    c.close()
    m = w.expect_publish()
    assert (m.payload, m.qos, m.retain) == (b"last words", 1, False)
    w.ack(m)
    late = clients.raw(broker, "late", version=version)
    late.subscribe(("will/retained", 1))
    m = late.expect_publish()
    assert (m.topic, m.payload, m.qos, m.retain) == ("will/retained", b"last words", 1, True)
    late.ack(m)


def test_empty_retained_will_clears_retained(broker, clients):
    """A will with Will Retain 1 and an empty payload is published like any retained PUBLISH
    with an empty payload: it removes the retained message of its topic.
    [3.1.1:MQTT-3.1.2-17] [3.1.1:MQTT-3.3.1-10] [3.1.1:MQTT-3.3.1-11]"""
    keeper = clients.raw(broker, "keeper")
    keeper.publish("will/state", b"online", qos=1, retain=True)
    w = _watcher(clients, broker, filt="will/state")
    m = w.expect_publish()
    assert (m.payload, m.retain) == (b"online", True)
    w.ack(m)
    c = _will_client(clients, broker, "eraser", 4, "will/state", b"", qos=1, retain=True)
    c.close()
    m = w.expect_publish()  # the will has been routed
    assert (m.payload, m.retain) == (b"", False)
    w.ack(m)
    late = clients.raw(broker, "late")
    late.subscribe(("will/state", 1))
    assert late.nothing_for(0.4), "empty retained will did not clear the retained message"


def test_will_properties_forwarded(broker, clients):
    """5.0 will properties reach the subscriber unaltered, User Properties in their order.
    [5.0:MQTT-3.1.3-10] [5.0:MQTT-3.3.2-17] [5.0:MQTT-3.3.2-18] [5.0:MQTT-3.3.2-20]"""
    w = _watcher(clients, broker, version=5)
    wp = props((P_CONTENT_TYPE, "text/plain"), (P_USER_PROPERTY, ("k", "2")), (P_USER_PROPERTY, ("a", "1")),
               (P_USER_PROPERTY, ("k", "1")))
    c = _will_client(clients, broker, "wprops", 5, "will/p", b"with props", will_props=wp)
    c.close()
    m = w.expect_publish()
    assert m.payload == b"with props"
    assert m.props.get(P_CONTENT_TYPE) == "text/plain"
    assert m.props.all(P_USER_PROPERTY) == [("k", "2"), ("a", "1"), ("k", "1")]
    w.ack(m)


def test_will_delay_interval_and_cancel_by_reconnect(broker, clients):
    """With Will Delay Interval 2 s the will is published 2 s after the connection is lost, not
    before; a client that reconnects (Clean Start 0) within the delay cancels its will. Both
    clients lose their connection at the same moment, so the cancelled will would arrive with
    the other one.
    [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.1.3-9]"""
    w = _watcher(clients, broker)
    session = props((P_SESSION_EXPIRY, 30))
    delay = props((P_WILL_DELAY, 2))
    late = _will_client(clients, broker, "delayed", 5, "will/delayed", b"after 2s", will_props=delay,
                        prop_bytes=session, clean=False)
    back = _will_client(clients, broker, "comesback", 5, "will/cancelled", b"never", will_props=delay,
                        prop_bytes=session, clean=False)
    t0 = time.time()
    late.close()
    back.drop()
    back = clients.raw(broker, "comesback", version=5, clean=False, prop_bytes=session)
    assert (back.rc, back.session_present) == (0, 1)
    assert w.nothing_for(0.5), "will published before its delay"
    m = w.expect_publish(timeout=5)
    elapsed = time.time() - t0
    assert (m.topic, m.payload) == ("will/delayed", b"after 2s")
    assert 1.9 <= elapsed <= 3.8, f"delayed will after {elapsed:.2f}s"
    w.ack(m)
    assert w.nothing_for(0.5), "will of a client that reconnected within the delay was published"


def test_will_delay_cut_short_by_session_end(broker, clients):
    """The will is published when the session ends even if the Will Delay Interval is longer:
    with Session Expiry 1 s and Will Delay 30 s it comes after about 1 s; a Clean Start 1
    reconnect ends a session at once and publishes its pending will immediately.
    [5.0:MQTT-3.1.2-8] [5.0:MQTT-4.1.0-2] [5.0:MQTT-3.1.2-4]"""
    w = _watcher(clients, broker)
    delay = props((P_WILL_DELAY, 30))
    c = _will_client(clients, broker, "shortsess", 5, "will/expiry", b"session over", will_props=delay,
                     prop_bytes=props((P_SESSION_EXPIRY, 1)), clean=False)
    d = _will_client(clients, broker, "restart", 5, "will/cleanstart", b"clean start", will_props=delay,
                     prop_bytes=props((P_SESSION_EXPIRY, 60)), clean=False)
    d.drop()
    assert w.nothing_for(0.2)
    d2 = clients.raw(broker, "restart", version=5, clean=True)
    assert (d2.rc, d2.session_present) == (0, 0)
    m = w.expect_publish(timeout=1)
    assert (m.topic, m.payload) == ("will/cleanstart", b"clean start")
    w.ack(m)
    t0 = time.time()
    c.close()
    m = w.expect_publish(timeout=4)
    elapsed = time.time() - t0
    assert (m.topic, m.payload) == ("will/expiry", b"session over")
    assert 0.9 <= elapsed <= 3.0, f"will after {elapsed:.2f}s"
    w.ack(m)


@pytest.mark.parametrize("version", VERSIONS)
def test_will_on_keep_alive_timeout(broker, clients, version):
    """A client with Keep Alive 1 s that stays silent is disconnected after 1.5 s (not
    earlier, and promptly), 5.0 with DISCONNECT 0x8D if any, and its will is published.
    [3.1.1:MQTT-3.1.2-24] [5.0:MQTT-3.1.2-22] [3.1.1:MQTT-3.1.2-8] [5.0:MQTT-3.1.2-8]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, f"silent{version}", version, f"will/ka{version}", b"timed out", keep_alive=1)
    assert c.closed_by_server(timeout=4), "not disconnected after 1.5 x keep alive"
    elapsed = time.time() - c.connack_at
    assert 1.45 <= elapsed <= 2.5, f"closed after {elapsed:.2f}s"
    for p in c.pending:
        assert version == 5 and p.type == DISCONNECT and parse_disconnect(p)[0] == 0x8D, c.pending
    m = w.expect_publish()
    assert (m.topic, m.payload) == (f"will/ka{version}", b"timed out")
    w.ack(m)


@pytest.mark.parametrize("version", [3, 4])
def test_will_on_session_takeover_v3(broker, clients, version):
    """3.1/3.1.1: a second connection with the same client id closes the first, which did not
    send DISCONNECT, so the first connection's will is published.
    [3.1.1:MQTT-3.1.4-2] [3.1.1:MQTT-3.1.2-8]"""
    w = _watcher(clients, broker)
    old = _will_client(clients, broker, f"to{version}", version, "will/takeover", b"replaced", clean=False)
    new = clients.raw(broker, f"to{version}", version=version, clean=False)
    assert (new.rc, new.session_present) == (0, 1)
    assert old.closed_by_server()
    m = w.expect_publish()
    assert (m.topic, m.payload) == ("will/takeover", b"replaced")
    w.ack(m)
    assert w.nothing_for(0.3)


def test_will_on_session_takeover_v5(broker, clients):
    """5.0 takeover: the old connection's will (Will Delay 0) is published; a will with a
    delay is not, when the new connection resumes the session within the delay (the will of
    a client that lost its connection at the same time arrives, and alone).
    [5.0:MQTT-3.1.4-3] [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.1.3-9]"""
    w = _watcher(clients, broker)
    session = props((P_SESSION_EXPIRY, 60))
    old = _will_client(clients, broker, "to5", 5, "will/to5", b"taken over", prop_bytes=session, clean=False)
    new = clients.raw(broker, "to5", version=5, clean=False, prop_bytes=session)
    assert (new.rc, new.session_present) == (0, 1)
    assert old.closed_by_server()
    assert [parse_disconnect(p)[0] for p in old.pending if p.type == DISCONNECT] == [0x8E]
    m = w.expect_publish()
    assert (m.topic, m.payload) == ("will/to5", b"taken over")
    w.ack(m)

    delay = props((P_WILL_DELAY, 1))
    kept = _will_client(clients, broker, "to5d", 5, "will/to5d", b"must not", will_props=delay, prop_bytes=session,
                        clean=False)
    lost = _will_client(clients, broker, "lost5", 5, "will/lost5", b"control", will_props=delay, prop_bytes=session,
                        clean=False)
    lost.close()
    new = clients.raw(broker, "to5d", version=5, clean=False, prop_bytes=session)
    assert (new.rc, new.session_present) == (0, 1)
    assert kept.closed_by_server()
    m = w.expect_publish(timeout=4)
    assert (m.topic, m.payload) == ("will/lost5", b"control")
    w.ack(m)
    assert w.nothing_for(0.5), "delayed will published although the session was resumed in time"


@pytest.mark.parametrize("version", [4, 5])
def test_will_published_when_server_closes_on_protocol_error(broker, clients, version):
    """A connection the server closes because of a protocol violation (a PUBLISH with both QoS
    bits set) did not end with DISCONNECT from the client, so its will is published.
    [3.1.1:MQTT-3.1.2-8] [3.1.1:MQTT-3.3.1-4] [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.3.1-4]
    [3.1.1:MQTT-4.8.0-1] [5.0:MQTT-4.13.1-1]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, f"bad{version}", version, "will/bad", b"protocol error")
    body = b"\x00\x01x\x00\x01" + (b"\x00" if version == 5 else b"") + b"p"
    c.send(bytes([0x36, len(body)]) + body)
    assert c.closed_by_server()
    for p in c.pending:
        assert version == 5 and p.type == DISCONNECT and parse_disconnect(p)[0] >= 0x80, c.pending
    m = w.expect_publish()
    assert (m.topic, m.payload) == ("will/bad", b"protocol error")
    w.ack(m)


def test_will_delay_with_session_expiry_zero_published_at_close(broker, clients):
    """With Will Delay 30 s but no Session Expiry (0), the session ends when the connection
    closes, so the will is published at once.
    [5.0:MQTT-3.1.2-8] [5.0:MQTT-3.1.2-23]"""
    w = _watcher(clients, broker)
    c = _will_client(clients, broker, "nosess", 5, "will/nosess", b"now", will_props=props((P_WILL_DELAY, 30)))
    c.close()
    m = w.expect_publish(timeout=0.9)
    assert (m.topic, m.payload) == ("will/nosess", b"now")
    w.ack(m)
