"""07: malformed packets and protocol errors, sent as raw bytes.

3.1.1: a malformed packet or protocol violation closes that connection only (no answer), and the
other clients keep working. 5.0: the broker answers with DISCONNECT carrying the exact reason code
(or, before CONNACK, a refusing CONNACK) and then closes. After every case a fresh client checks
that the broker still serves."""
import socket
import struct

import pytest

import rawmqtt
import raw5
from raw5 import (MALFORMED_PACKET, PROTOCOL_ERROR, TOPIC_NAME_INVALID, TOPIC_ALIAS_INVALID, PACKET_TOO_LARGE,
                  PAYLOAD_FORMAT_INVALID, props, prop, packet, utf8, varint)


# ---- 5.0: bytes sent after a successful CONNECT, and the DISCONNECT reason they earn ----------

def _publish_raw_topic(topic_bytes, version=5):
    """PUBLISH QoS 0 whose topic is the given raw bytes (no UTF-8 check on our side)."""
    body = struct.pack("!H", len(topic_bytes)) + topic_bytes
    if version == 5:
        body += b"\x00"
    return packet(0x30, body + b"x")


V5_CASES = {
    # id: (bytes, expected DISCONNECT reason, statement ids)
    "remaining_length_5_bytes": (b"\x30\x80\x80\x80\x80\x01", MALFORMED_PACKET, "5.0:MQTT-1.5.5-1"),
    "remaining_length_overlong": (b"\x30\x84\x00" + utf8("a") + b"\x00", MALFORMED_PACKET,
                                  "5.0:MQTT-1.5.5-1"),
    "topic_invalid_utf8": (_publish_raw_topic(b"a/\xff\xfe"), MALFORMED_PACKET, "5.0:MQTT-1.5.4-1"),
    "topic_surrogate": (_publish_raw_topic(b"a/\xed\xa0\x80"), MALFORMED_PACKET, "5.0:MQTT-1.5.4-1"),
    "topic_overlong_utf8": (_publish_raw_topic(b"a/\xc0\xaf"), MALFORMED_PACKET, "5.0:MQTT-1.5.4-1"),
    "topic_nul": (_publish_raw_topic(b"a\x00b"), MALFORMED_PACKET, "5.0:MQTT-1.5.4-2 5.0:MQTT-4.7.3-2"),
    "subscribe_flags_0": (packet(0x80, b"\x00\x01\x00" + utf8("a") + b"\x00"), MALFORMED_PACKET,
                          "5.0:MQTT-2.1.3-1 5.0:MQTT-3.8.1-1"),
    "unsubscribe_flags_0": (packet(0xA0, b"\x00\x01\x00" + utf8("a")), MALFORMED_PACKET,
                            "5.0:MQTT-2.1.3-1 5.0:MQTT-3.10.1-1"),
    "pubrel_flags_0": (packet(0x60, b"\x00\x01"), MALFORMED_PACKET, "5.0:MQTT-2.1.3-1 5.0:MQTT-3.6.1-1"),
    "disconnect_flags": (b"\xe1\x00", MALFORMED_PACKET, "5.0:MQTT-3.14.1-1"),
    "pingreq_flags": (b"\xc1\x00", MALFORMED_PACKET, "5.0:MQTT-2.1.3-1"),
    "reserved_type_0": (b"\x00\x00", MALFORMED_PACKET, "5.0:MQTT-2.1.3-1"),
    "publish_qos3": (packet(0x36, utf8("a") + b"\x00\x01\x00x"), MALFORMED_PACKET, "5.0:MQTT-3.3.1-4"),
    "publish_qos0_dup": (packet(0x38, utf8("a") + b"\x00x"), MALFORMED_PACKET, "5.0:MQTT-3.3.1-2"),
    "publish_wildcard_plus": (raw5.publish5("a/+/b", b"x"), TOPIC_NAME_INVALID, "5.0:MQTT-3.3.2-2 5.0:MQTT-4.7.0-1"),
    "publish_wildcard_hash": (raw5.publish5("a/#", b"x"), TOPIC_NAME_INVALID, "5.0:MQTT-3.3.2-2 5.0:MQTT-4.7.0-1"),
    "publish_packet_id_0": (raw5.publish5("a", b"x", qos=1, packet_id=0), MALFORMED_PACKET, "3.1.1:MQTT-2.3.1-1"),
    "subscribe_packet_id_0": (raw5.subscribe5([("a", 0)], packet_id=0), MALFORMED_PACKET, "3.1.1:MQTT-2.3.1-1"),
    "subscribe_no_filters": (packet(0x82, b"\x00\x01\x00"), PROTOCOL_ERROR, "5.0:MQTT-3.8.3-2"),
    "subscribe_reserved_option_bits": (raw5.subscribe5([("a", 0x40)]), MALFORMED_PACKET, "5.0:MQTT-3.8.3-5"),
    "unsubscribe_no_filters": (packet(0xA2, b"\x00\x01\x00"), PROTOCOL_ERROR, "5.0:MQTT-3.10.3-2"),
    "duplicate_property": (raw5.publish5("a", b"x", properties=props((raw5.MESSAGE_EXPIRY, 5),
                                                                      (raw5.MESSAGE_EXPIRY, 6))),
                           PROTOCOL_ERROR, ""),
    "duplicate_content_type": (raw5.publish5("a", b"x", properties=props((raw5.CONTENT_TYPE, "a"),
                                                                          (raw5.CONTENT_TYPE, "b"))),
                               PROTOCOL_ERROR, ""),
    "session_expiry_in_publish": (raw5.publish5("a", b"x", properties=prop(raw5.SESSION_EXPIRY, 10)),
                                  MALFORMED_PACKET, ""),
    "unknown_property_id": (raw5.publish5("a", b"x", properties=b"\x7f\x00"), MALFORMED_PACKET, ""),
    "property_length_5_bytes": (packet(0x30, utf8("a") + b"\x80\x80\x80\x80\x01"), MALFORMED_PACKET, "5.0:MQTT-1.5.5-1"),
    "property_length_overlong": (packet(0x30, utf8("a") + b"\x80\x00x"), MALFORMED_PACKET, "5.0:MQTT-1.5.5-1"),
    "property_length_past_end": (packet(0x30, utf8("a") + b"\x20"), MALFORMED_PACKET, ""),
    "second_connect": (raw5.connect5("again"), PROTOCOL_ERROR, "5.0:MQTT-3.1.0-2"),
    "client_sends_connack": (b"\x20\x03\x00\x00\x00", PROTOCOL_ERROR, ""),
    "client_sends_suback": (packet(0x90, b"\x00\x01\x00\x00"), PROTOCOL_ERROR, ""),
    "client_sends_pingresp": (b"\xd0\x00", PROTOCOL_ERROR, ""),
    "subscription_id_in_publish": (raw5.publish5("a", b"x", properties=prop(raw5.SUBSCRIPTION_ID, 7)),
                                   PROTOCOL_ERROR, "5.0:MQTT-3.3.4-6"),
    "topic_alias_0": (raw5.publish5("a", b"x", properties=prop(raw5.TOPIC_ALIAS, 0)), TOPIC_ALIAS_INVALID,
                      "5.0:MQTT-3.3.2-8"),
    "topic_alias_above_max": (raw5.publish5("a", b"x", properties=prop(raw5.TOPIC_ALIAS, 11)), TOPIC_ALIAS_INVALID,
                              "5.0:MQTT-3.3.2-9 5.0:MQTT-3.3.2-12"),
    "topic_alias_unknown_empty_topic": (raw5.publish5("", b"x", properties=prop(raw5.TOPIC_ALIAS, 3)),
                                        PROTOCOL_ERROR, "5.0:MQTT-3.3.2-12"),
    "empty_topic_no_alias": (raw5.publish5("", b"x"), PROTOCOL_ERROR, "5.0:MQTT-4.7.3-1"),
    "auth_without_method": (raw5.auth(0x18), PROTOCOL_ERROR, "5.0:MQTT-4.12.0-7"),
    "payload_format_invalid_qos0": (raw5.publish5("a", b"\xff\xfe", properties=prop(raw5.PAYLOAD_FORMAT, 1)),
                                    PAYLOAD_FORMAT_INVALID, ""),
    "content_type_invalid_utf8": (raw5.publish5("a", b"x", properties=prop(raw5.CONTENT_TYPE, b"\xff")),
                                  MALFORMED_PACKET, "5.0:MQTT-1.5.4-1 5.0:MQTT-3.3.2-19"),
    "user_property_invalid_utf8": (raw5.publish5("a", b"x", properties=prop(raw5.USER_PROPERTY, (b"k", b"\xc3"))),
                                   MALFORMED_PACKET, "5.0:MQTT-1.5.7-1"),
    "oversize_payload": (raw5.publish5("a", b"x" * 1001), PACKET_TOO_LARGE, ""),
    # Larger than the Maximum Packet Size announced in CONNACK: refused from the fixed header alone.
    "over_maximum_packet_size": (b"\x30" + varint(200_000) + utf8("a") + b"\x00" + b"x" * 1000, PACKET_TOO_LARGE,
                                 "5.0:MQTT-3.2.2-15"),
    "subscription_id_0": (raw5.subscribe5([("a", 0)], properties=prop(raw5.SUBSCRIPTION_ID, 0)), PROTOCOL_ERROR, ""),
    "retain_handling_3": (raw5.subscribe5([("a", 0x30)]), PROTOCOL_ERROR, ""),
}

V5_CONF = "topic_alias_max_broker = 10\nmax_message_size = 1000"


def _doc_ids(name):
    return V5_CASES[name][2]


@pytest.mark.parametrize("name", sorted(V5_CASES))
def test_v5_malformed_disconnects_with_reason(make_broker, name):
    """5.0: each malformed packet / protocol error gets DISCONNECT with its exact reason code, then
    the connection is closed; other clients are unaffected.
    Covers 5.0:MQTT-4.13.1-1 5.0:MQTT-4.13.2-1 5.0:MQTT-3.14.4-1 5.0:MQTT-3.14.4-2 5.0:MQTT-3.14.2-1
    and per case: 5.0:MQTT-1.5.5-1 5.0:MQTT-1.5.4-1 5.0:MQTT-1.5.4-2 5.0:MQTT-2.1.3-1 5.0:MQTT-3.8.1-1
    5.0:MQTT-3.10.1-1 5.0:MQTT-3.6.1-1 5.0:MQTT-3.14.1-1 5.0:MQTT-3.3.1-4 5.0:MQTT-3.3.1-2
    5.0:MQTT-3.3.2-2 5.0:MQTT-4.7.0-1 5.0:MQTT-3.8.3-2 5.0:MQTT-3.8.3-5 5.0:MQTT-3.10.3-2
    5.0:MQTT-2.2.1-3 5.0:MQTT-3.1.0-2 5.0:MQTT-3.3.4-6 5.0:MQTT-3.3.2-8 5.0:MQTT-3.3.2-12
    5.0:MQTT-4.7.3-1 5.0:MQTT-4.12.0-7 5.0:MQTT-3.2.2-15 5.0:MQTT-4.7.3-2
    5.0:MQTT-3.3.2-1 (topic not UTF-8) 5.0:MQTT-3.3.2-19 (Content Type not UTF-8) 5.0:MQTT-1.5.7-1
    (User Property not UTF-8) 5.0:MQTT-3.3.2-9 (Topic Alias above the maximum) 5.0:MQTT-4.3.1-1
    (QoS 0 with DUP 1)"""
    data, reason, _ = V5_CASES[name]
    b = make_broker(V5_CONF)
    bystander, _ = raw5.open5(b.port, "bystander")
    raw5.subscribe_ok(bystander, [("a", 0)])
    c, _ = raw5.open5(b.port, "bad")
    try:
        c.send(data)
        raw5.expect_disconnect(c, reason)
    finally:
        c.close()
    # The bystander's connection is untouched: it still gets a message published after the error.
    pub, _ = raw5.open5(b.port, "pub")
    pub.send(raw5.publish5("a", b"after"))
    m = raw5.Publish(bystander.recv_packet())
    assert m.payload == b"after"
    pub.close()
    bystander.close()
    raw5.check_alive(b.port, name)


def test_v5_payload_format_invalid_qos1_puback_0x99(make_broker):
    """5.0: Payload Format Indicator 1 with a payload that is not UTF-8 at QoS 1 is refused with
    PUBACK 0x99 and the connection stays usable; the message is not delivered.
    Covers 5.0:MQTT-3.4.2-1 5.0:MQTT-3.3.2-4"""
    b = make_broker()
    sub, _ = raw5.open5(b.port, "sub")
    raw5.subscribe_ok(sub, [("pf", 1)])
    c, _ = raw5.open5(b.port, "pub")
    c.send(raw5.publish5("pf", b"\xc3\x28", qos=1, packet_id=9, properties=prop(raw5.PAYLOAD_FORMAT, 1)))
    ack = raw5.Ack(c.recv_packet())
    assert ack.type == raw5.PUBACK and ack.packet_id == 9 and ack.reason == PAYLOAD_FORMAT_INVALID
    # QoS 2 gets PUBREC 0x99.
    c.send(raw5.publish5("pf", b"\x00\xff", qos=2, packet_id=10, properties=prop(raw5.PAYLOAD_FORMAT, 1)))
    ack = raw5.Ack(c.recv_packet())
    assert ack.type == raw5.PUBREC and ack.packet_id == 10 and ack.reason == PAYLOAD_FORMAT_INVALID
    # Still connected: a valid UTF-8 message goes through.
    c.send(raw5.publish5("pf", "héllo".encode(), qos=1, packet_id=11, properties=prop(raw5.PAYLOAD_FORMAT, 1)))
    ack = raw5.Ack(c.recv_packet())
    assert ack.packet_id == 11 and ack.reason == 0
    m = raw5.Publish(sub.recv_packet())
    assert m.payload == "héllo".encode()  # the invalid ones were not delivered
    assert m.props.get(raw5.PAYLOAD_FORMAT) == 1
    c.close()
    sub.close()


# ---- CONNECT-time errors -----------------------------------------------------------------------

def _connect_raw(name, level, flags, client_id="c", props_bytes=None, payload_extra=b""):
    vh = utf8(name) + bytes([level, flags]) + struct.pack("!H", 60)
    if props_bytes is not None:
        vh += varint(len(props_bytes)) + props_bytes
    return packet(0x10, vh + utf8(client_id) + payload_extra)


def test_v5_connect_with_authentication_method_connack_0x8c(broker):
    """5.0: an Authentication Method the server does not support → CONNACK 0x8C, then closed; no
    Authentication Method in the CONNACK.
    Covers 5.0:MQTT-4.12.0-1 5.0:MQTT-3.2.2-6 5.0:MQTT-3.2.2-7 5.0:MQTT-3.1.4-2 5.0:MQTT-4.12.0-6
    5.0:MQTT-4.12.0-4 (authentication rejected: CONNACK >= 0x80, connection closed)"""
    c = rawmqtt.RawClient(broker.port)
    c.send(raw5.connect5("am", properties=prop(raw5.AUTH_METHOD, "SCRAM-SHA-1")))
    ack = raw5.Connack(c.recv_packet())
    assert ack.reason == raw5.BAD_AUTH_METHOD and ack.session_present == 0
    assert raw5.AUTH_METHOD not in ack.props
    raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port)


def test_unsupported_protocol_level_6_connack_0x84(broker):
    """Protocol level 6 → CONNACK 0x84 (Unsupported Protocol Version), then closed.
    Covers 5.0:MQTT-3.1.2-2 5.0:MQTT-3.2.2-7"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", 6, 0x02, props_bytes=b""))
    p = c.recv_packet()
    assert p is not None and p.type == raw5.CONNACK
    assert p.body[0] == 0 and p.body[1] == raw5.UNSUPPORTED_PROTOCOL_VERSION
    raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port)


def test_v311_unsupported_level_connack_1(broker):
    """3.1.1 framing with protocol level 2 (unknown) → CONNACK return code 0x01, then closed.
    Covers 3.1.1:MQTT-3.1.2-2 3.1.1:MQTT-3.2.2-4 3.1.1:MQTT-3.2.2-5"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", 2, 0x02))
    p = c.recv_packet()
    assert p is not None and p.type == raw5.CONNACK and p.body == b"\x00\x01"
    raw5.expect_closed_silently(c)
    c.close()


@pytest.mark.parametrize("name,level", [("MQIsdp", 4), ("MQTT", 3), ("MQIsdp", 5), ("MQTX", 4)])
def test_protocol_name_level_mismatch_not_accepted(broker, name, level):
    """A protocol name that does not go with the level (MQIsdp is 3.1 = level 3; MQTT is 3.1.1/5.0)
    must not be processed as that protocol: the server either closes at once or answers with a
    refusing CONNACK (3.1.1 return code 0x01 / 5.0 reason 0x84) and closes. It never accepts.
    Covers 3.1.1:MQTT-3.1.2-1 3.1.1:MQTT-3.1.2-2 5.0:MQTT-3.1.2-1 5.0:MQTT-3.1.2-2"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw(name, level, 0x02, props_bytes=b"" if level == 5 else None))
    p = c.recv_packet()
    if p is not None:
        assert p.type == raw5.CONNACK, p
        assert p.body[1] in (0x01, raw5.UNSUPPORTED_PROTOCOL_VERSION), p
        raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port, f"{name}{level}")


def test_v31_mqisdp_level3_accepted(broker):
    """MQTT 3.1 (MQIsdp, level 3) is accepted: CONNACK 0x00. (MQTT 3.1 predates the statement ids:
    no normative statement.)"""
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("old31", version=3))
    p = c.recv_packet()
    assert p is not None and p.type == raw5.CONNACK and p.body == b"\x00\x00"
    c.close()


@pytest.mark.parametrize("version", [4, 5])
def test_connect_reserved_flag_set_closed(broker, version):
    """CONNECT with the reserved flag (bit 0) set: 3.1.1 closes without CONNACK; 5.0 treats it as
    malformed (close, optionally after CONNACK 0x81).
    Covers 3.1.1:MQTT-3.1.2-3 3.1.1:MQTT-3.1.4-1 5.0:MQTT-3.1.2-3 5.0:MQTT-3.1.4-1
    3.1.1:MQTT-3.2.2-6 (no return code applies: closed without CONNACK)"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", version, 0x03, props_bytes=b"" if version == 5 else None))
    p = c.recv_packet()
    if version == 4:
        assert p is None, f"3.1.1: expected close without CONNACK, got {p!r}"
    else:
        if p is not None:
            ack = raw5.Connack(p)
            assert ack.reason == MALFORMED_PACKET
            raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port, f"rf{version}")


def test_v311_password_without_username_closed(broker):
    """3.1.1: Password Flag 1 with User Name Flag 0 → closed without CONNACK.
    Covers 3.1.1:MQTT-3.1.2-22 3.1.1:MQTT-3.1.4-1 3.1.1:MQTT-3.2.2-6"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", 4, 0x42, payload_extra=utf8("secret")))
    raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port)


@pytest.mark.parametrize("flags,why", [(0x0A, "will qos 1 without will flag"), (0x22, "will retain without will"),
                                       (0x1E, "will qos 3")])
def test_v311_bad_will_flags_closed(broker, flags, why):
    """3.1.1: Will QoS/Retain set with Will Flag 0, or Will QoS 3 → closed without CONNACK.
    Covers 3.1.1:MQTT-3.1.2-13 3.1.1:MQTT-3.1.2-14 3.1.1:MQTT-3.1.2-15 3.1.1:MQTT-3.1.4-1
    3.1.1:MQTT-3.1.2-11 3.1.1:MQTT-3.2.2-6"""
    extra = utf8("w") + utf8("m") if flags & 0x04 else b""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", 4, flags, payload_extra=extra))
    raw5.expect_closed_silently(c)
    c.close()


def test_v5_connect_duplicate_property_refused(broker):
    """5.0: a CONNECT with a property included twice is a Protocol Error: CONNACK 0x82 (or close),
    never accepted.  Covers 5.0:MQTT-3.1.4-1"""
    c = rawmqtt.RawClient(broker.port)
    c.send(raw5.connect5("dup", properties=props((raw5.SESSION_EXPIRY, 1), (raw5.SESSION_EXPIRY, 2))))
    p = c.recv_packet()
    if p is not None:
        assert raw5.Connack(p).reason == PROTOCOL_ERROR
        raw5.expect_closed_silently(c)
    c.close()


def test_v5_connect_trailing_garbage_refused(broker):
    """5.0: bytes after the last CONNECT field make the packet malformed: refused (CONNACK 0x81 or
    close).  Covers 5.0:MQTT-3.1.4-1"""
    c = rawmqtt.RawClient(broker.port)
    c.send(_connect_raw("MQTT", 5, 0x02, props_bytes=b"", payload_extra=b"\x01\x02"))
    p = c.recv_packet()
    if p is not None:
        assert raw5.Connack(p).reason == MALFORMED_PACKET
        raw5.expect_closed_silently(c)
    c.close()


def test_garbage_bytes_closed_silently(broker):
    """Bytes that are not MQTT at all, as the first thing on a connection: closed, no answer.
    Covers 3.1.1:MQTT-3.1.0-1 3.1.1:MQTT-3.1.4-1 5.0:MQTT-3.1.4-1"""
    # An HTTP request reads as a PUBACK header ('G' = 0x47) of 69 bytes ('E'): the broker closes
    # once that frame is complete (it waits for the whole frame, bounded by its CONNECT timeout).
    http = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    for garbage in (http + b" " * (71 - len(http)),   # complete first frame, not a CONNECT
                    bytes(range(255, 0, -1)),           # 5-byte remaining length
                    b"\x10\x05hello",                  # CONNECT type, body not a CONNECT
                    b"\x10\x00"):                       # empty CONNECT
        c = rawmqtt.RawClient(broker.port)
        c.send(garbage)
        raw5.expect_closed_silently(c)
        c.close()
    raw5.check_alive(broker.port)


def test_half_packet_then_close_publishes_will(broker):
    """A client that sends half a packet and then closes the socket: the broker drops the partial
    packet (nothing is delivered), treats it as an abnormal close (the will is published), and
    keeps serving.  Covers 3.1.1:MQTT-3.1.2-8 5.0:MQTT-3.1.2-8"""
    watcher, _ = raw5.open5(broker.port, "watcher")
    raw5.subscribe_ok(watcher, [("half/#", 0)])
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("halfer", version=4, will=("half/will", b"gone", 0, False)))
    assert c.recv_packet().body == b"\x00\x00"
    full = rawmqtt.publish("half/data", b"y" * 100)
    c.send(full[:len(full) // 2])
    c.sock.shutdown(socket.SHUT_RDWR)
    c.close()
    m = raw5.Publish(watcher.recv_packet())
    assert m.topic == "half/will" and m.payload == b"gone"
    assert raw5.nothing_more(watcher, 0.3)  # the half publish never arrives
    watcher.close()
    # Half a CONNECT, then close: nothing breaks either.
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("halfconn", version=5)[:7])
    c.close()
    raw5.check_alive(broker.port)


# ---- 3.1.1: a protocol violation closes only that connection ---------------------------------

V311_CASES = {
    "remaining_length_5_bytes": b"\x30\x80\x80\x80\x80\x01",
    "topic_invalid_utf8": _publish_raw_topic(b"a/\xff", version=4),
    "topic_nul": _publish_raw_topic(b"a\x00", version=4),
    "subscribe_flags_0": packet(0x80, b"\x00\x01" + utf8("a") + b"\x00"),
    "unsubscribe_flags_0": packet(0xA0, b"\x00\x01" + utf8("a")),
    "pubrel_flags_0": packet(0x60, b"\x00\x01"),
    "disconnect_flags": b"\xe2\x00",
    "publish_qos3": packet(0x36, utf8("a") + b"\x00\x01x"),
    "publish_wildcard": rawmqtt.publish("a/#", b"x"),
    "publish_packet_id_0": rawmqtt.publish("a", b"x", qos=1, packet_id=0),
    "subscribe_packet_id_0": rawmqtt.subscribe([("a", 0)], packet_id=0),
    "subscribe_no_filters": packet(0x82, b"\x00\x01"),
    "subscribe_qos3": rawmqtt.subscribe([("a", 3)]),
    "subscribe_reserved_bits": rawmqtt.subscribe([("a", 0x04)]),
    "second_connect": rawmqtt.connect("again"),
    "client_sends_connack": b"\x20\x02\x00\x00",
    "auth_packet": b"\xf0\x00",
    "reserved_type_0": b"\x00\x00",
    "empty_topic": rawmqtt.publish("", b"x"),
}


@pytest.mark.parametrize("name", sorted(V311_CASES))
def test_v311_violation_closes_only_that_connection(broker, name):
    """3.1.1: the offending connection is closed without any answer; a second client on the
    same broker keeps working; the closed client's will is published (not a clean DISCONNECT).
    Covers 3.1.1:MQTT-4.8.0-1 3.1.1:MQTT-1.5.3-1 3.1.1:MQTT-1.5.3-2 3.1.1:MQTT-2.2.2-1
    3.1.1:MQTT-2.2.2-2 3.1.1:MQTT-3.8.1-1 3.1.1:MQTT-3.10.1-1 3.1.1:MQTT-3.6.1-1
    3.1.1:MQTT-3.14.1-1 3.1.1:MQTT-3.3.1-4 3.1.1:MQTT-3.3.2-2 3.1.1:MQTT-2.3.1-1
    3.1.1:MQTT-3.8.3-3 3.1.1:MQTT-3.8.3-4 3.1.1:MQTT-3.1.0-2 3.1.1:MQTT-4.7.3-1 3.1.1:MQTT-3.1.2-8
    3.1.1:MQTT-3.3.2-1 (topic not UTF-8) 3.1.1:MQTT-4.7.1-1 (wildcard in a topic name)
    3.1.1:MQTT-4.7.3-2 (U+0000 in a topic name)"""
    other, _ = raw5.open311(broker.port, "other")
    raw5.subscribe_ok(other, [("t/#", 0)], v5=False)
    bad, _ = raw5.open311(broker.port, "bad", will=("t/will", b"bad-died", 0, False))
    bad.send(V311_CASES[name])
    raw5.expect_closed_silently(bad)
    bad.close()
    m = raw5.Publish(other.recv_packet(), v5=False)
    assert (m.topic, m.payload) == ("t/will", b"bad-died")
    other.send(rawmqtt.publish("t/after", b"still"))
    m = raw5.Publish(other.recv_packet(), v5=False)
    assert (m.topic, m.payload) == ("t/after", b"still")
    other.close()


def test_v5_response_topic_with_wildcard_rejected(broker):
    """5.0: a Response Topic must not contain wildcards (both sides), so the broker may not accept
    and forward one: it must treat the PUBLISH as a protocol error (DISCONNECT 0x82, or 0x90 Topic
    Name invalid) and the message must not reach subscribers.
    Covers 5.0:MQTT-3.3.2-14 5.0:MQTT-4.13.1-1"""
    sub, _ = raw5.open5(broker.port, "sub")
    raw5.subscribe_ok(sub, [("rt", 0)])
    c, _ = raw5.open5(broker.port, "pub")
    c.send(raw5.publish5("rt", b"x", qos=1, properties=prop(raw5.RESPONSE_TOPIC, "reply/#")))
    p = c.recv_packet()
    assert p is not None and p.type == raw5.DISCONNECT, f"expected DISCONNECT, got {p!r}"
    assert raw5.Disconnect(p).reason in (PROTOCOL_ERROR, TOPIC_NAME_INVALID)
    assert raw5.nothing_more(sub, 0.3)
    c.close()
    sub.close()


def test_v5_topic_alias_when_broker_grants_none(broker):
    """5.0: with topic_alias_max_broker = 0 (default) the CONNACK has no Topic Alias Maximum and any
    Topic Alias from the client is invalid: DISCONNECT 0x94.
    Covers 5.0:MQTT-3.2.2-18 5.0:MQTT-3.3.2-12"""
    c, ack = raw5.open5(broker.port, "ta0")
    assert raw5.TOPIC_ALIAS_MAXIMUM not in ack.props
    c.send(raw5.publish5("a", b"x", properties=prop(raw5.TOPIC_ALIAS, 1)))
    raw5.expect_disconnect(c, TOPIC_ALIAS_INVALID)
    c.close()
    raw5.check_alive(broker.port)


def test_v5_disconnect_respects_client_maximum_packet_size(broker):
    """5.0: the server must not send a packet larger than the client's Maximum Packet Size; a
    Reason String that would make the DISCONNECT too large must be left out. Client asks for 16
    bytes; a malformed PUBLISH then earns DISCONNECT 0x81 of at most 16 bytes.
    Covers 5.0:MQTT-3.1.2-24 5.0:MQTT-3.14.2-3 5.0:MQTT-3.14.2-4"""
    c, _ = raw5.open5(broker.port, "small", properties=prop(raw5.MAXIMUM_PACKET_SIZE, 16))
    c.send(packet(0x36, utf8("a") + b"\x00\x01\x00x"))  # QoS 3
    c.sock.settimeout(5)
    data = b""
    while True:
        chunk = c.sock.recv(4096)
        if not chunk:
            break
        data += chunk
    c.close()
    assert data[:1] == b"\xe0", data
    assert len(data) <= 16, f"DISCONNECT of {len(data)} bytes exceeds Maximum Packet Size 16: {data!r}"
    assert data[2] == MALFORMED_PACKET


def test_v5_refusing_connack_respects_client_maximum_packet_size(broker):
    """5.0: a CONNACK must not carry a Reason String that makes it exceed the client's Maximum
    Packet Size. Refused CONNECT (unsupported Authentication Method) with Maximum Packet Size 20.
    Covers 5.0:MQTT-3.2.2-19 5.0:MQTT-3.1.2-24 5.0:MQTT-3.2.2-20"""
    c = rawmqtt.RawClient(broker.port)
    c.send(raw5.connect5("amsmall", properties=props((raw5.MAXIMUM_PACKET_SIZE, 20), (raw5.AUTH_METHOD, "X"))))
    c.sock.settimeout(5)
    data = b""
    while True:
        chunk = c.sock.recv(4096)
        if not chunk:
            break
        data += chunk
    c.close()
    assert data[:1] == b"\x20", data
    assert len(data) <= 20, f"CONNACK of {len(data)} bytes exceeds Maximum Packet Size 20: {data!r}"
    assert data[3] == raw5.BAD_AUTH_METHOD


@pytest.mark.parametrize("bad", ["receive_maximum_0", "maximum_packet_size_0", "request_problem_info_2",
                                 "will_property_in_connect"])
def test_v5_connect_invalid_property_refused(broker, bad):
    """5.0: CONNECT with Receive Maximum 0, Maximum Packet Size 0 or Request Problem Information 2
    is a Protocol Error (CONNACK 0x82 then close); a property not allowed in CONNECT (Will Delay
    Interval) is Malformed (0x81). Never accepted.  Covers 5.0:MQTT-3.1.4-1 5.0:MQTT-3.2.2-7"""
    cases = {
        "receive_maximum_0": (prop(raw5.RECEIVE_MAXIMUM, 0), PROTOCOL_ERROR),
        "maximum_packet_size_0": (prop(raw5.MAXIMUM_PACKET_SIZE, 0), PROTOCOL_ERROR),
        "request_problem_info_2": (prop(raw5.REQUEST_PROBLEM_INFO, 2), PROTOCOL_ERROR),
        "will_property_in_connect": (prop(raw5.WILL_DELAY, 5), MALFORMED_PACKET),
    }
    properties, reason = cases[bad]
    c = rawmqtt.RawClient(broker.port)
    c.send(raw5.connect5("badprop", properties=properties))
    p = c.recv_packet()
    if p is not None:
        ack = raw5.Connack(p)
        assert ack.reason == reason and ack.session_present == 0
        raw5.expect_closed_silently(c)
    c.close()
    raw5.check_alive(broker.port, bad)


def test_v5_will_response_topic_with_wildcard_refused(broker):
    """5.0: a Will Message whose Response Topic has a wildcard is refused at CONNECT (CONNACK 0x82
    or close), never accepted.  Covers 5.0:MQTT-3.3.2-14 5.0:MQTT-3.1.4-2"""
    c = rawmqtt.RawClient(broker.port)
    c.send(raw5.connect5("willrt", will=("w/t", b"x", 0, False, prop(raw5.RESPONSE_TOPIC, "r/+"))))
    p = c.recv_packet()
    if p is not None:
        ack = raw5.Connack(p)
        assert ack.reason == PROTOCOL_ERROR and ack.session_present == 0
        raw5.expect_closed_silently(c)
    c.close()


def test_v5_will_payload_over_max_message_size_refused(make_broker):
    """5.0 with max_message_size = 1000: a CONNECT whose Will Payload is 1001 bytes is refused with
    CONNACK 0x95 and closed; 1000 bytes is accepted.  Covers 5.0:MQTT-3.1.4-2 5.0:MQTT-3.2.2-7"""
    b = make_broker("max_message_size = 1000")
    c = rawmqtt.RawClient(b.port)
    c.send(raw5.connect5("bigwill", will=("w/t", b"x" * 1001, 0, False)))
    ack = raw5.Connack(c.recv_packet())
    assert ack.reason == PACKET_TOO_LARGE and ack.session_present == 0
    raw5.expect_closed_silently(c)
    c.close()
    c, _ = raw5.open5(b.port, "okwill", will=("w/t", b"x" * 1000, 0, False))
    c.close()
