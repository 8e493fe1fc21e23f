"""24: MQTT over WebSocket (ws and wss listeners), driven by MQTT.js and by a raw WebSocket client.

MQTT.js (tests/integration/js/client.js, the `mqtt` npm package pinned in package-lock.json)
connects to ws://127.0.0.1:PORT/mqtt and wss://127.0.0.1:PORT/mqtt (a throw-away CA made with
openssl; MQTT.js is given that CA with rejectUnauthorized: true). A raw WebSocket client
(ws_util.WsRawClient) sends exactly the frames a test wants; raw HTTP requests check the upgrade
refusals (404 for another path, 400 for no upgrade or no mqtt subprotocol).
"""
import socket
import ssl

import pytest

import rawmqtt
from clients import CONNACK, DISCONNECT, PINGREQ_BYTES, SUBACK, Pub
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)
from conftest import wait_for
from ws_util import (OP_BINARY, OP_CONT, OP_PING, OP_TEXT, WsRawClient, any_broker, generated, http_exchange,  # noqa: F401
                     js, make_pki, read_http_head, sha256, upgrade_request)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def wsb(any_broker, pki):
    """A broker with tcp, ws and wss listeners."""
    return any_broker(f"""listener.tcp.default = 127.0.0.1:0
listener.ws.default = 127.0.0.1:0
listener.wss.default = 127.0.0.1:0
listener.wss.default.certfile = {pki.server_pem}
listener.wss.default.keyfile = {pki.server_key}
""")


def url(broker, transport, path="/mqtt"):
    return f"{transport}://127.0.0.1:{broker.ports[transport + '.default']}{path}"


def js_options(pki, transport, version, client_id, **extra):
    o = {"clientId": client_id, "protocolVersion": version, "clean": True}
    if version == 3:
        o["protocolId"] = "MQIsdp"
    if transport == "wss":
        o.update(caFile=pki.ca_pem, rejectUnauthorized=True)
    o.update(extra)
    return o


VERSIONS = [3, 4, 5]
PAHO_VERSION = {3: "3.1", 4: "3.1.1", 5: "5.0"}


# ---------------------------------------------------------------------------------------------
# MQTT.js: the whole client life cycle over ws and wss
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("transport", ["ws", "wss"])
def test_mqttjs_pubsub_qos_retained_clean_disconnect(wsb, js, clients, pki, transport, version):
    """MQTT.js over ws/wss: CONNECT accepted with the selected subprotocol "mqtt" ("mqttv3.1" for a
    3.1 client), SUBSCRIBE granted QoS 2, own publishes at QoS 0/1/2 come back at their QoS with
    RETAIN 0, a retained message reaches a later subscriber with RETAIN 1, and a clean DISCONNECT
    discards the will (a tcp subscriber on the will topic gets nothing).
    3.1.1:MQTT-6.0.0-4 5.0:MQTT-6.0.0-4 3.1.1:MQTT-3.2.2-1
    3.1.1:MQTT-4.3.1-1 3.1.1:MQTT-4.3.2-1 3.1.1:MQTT-4.3.3-1 3.1.1:MQTT-3.3.1-6 3.1.1:MQTT-3.3.1-8
    3.1.1:MQTT-3.3.1-9 3.1.1:MQTT-3.14.4-3 5.0:MQTT-3.1.4-5 5.0:MQTT-3.3.1-9 5.0:MQTT-3.3.1-12
    5.0:MQTT-3.14.4-3 5.0:MQTT-3.8.4-8"""
    cid = f"js-{transport}-{version}"
    will_watch = clients.paho(wsb, "will-watch")
    will_watch.subscribe(f"will/{cid}", qos=1)

    a = js(url(wsb, transport), {
        "options": js_options(pki, transport, version, cid,
                              will={"topic": f"will/{cid}", "payload": "gone", "qos": 1, "retain": False}),
        "steps": [
            {"subscribe": [["t/#", 2]]},
            {"publish": {"topic": "t/q0", "qos": 0, "text": "zero"}},
            {"publish": {"topic": "t/q1", "qos": 1, "text": "one"}},
            {"publish": {"topic": "t/q2", "qos": 2, "text": "two"}},
            {"publish": {"topic": "t/r", "qos": 1, "retain": True, "text": "kept"}},
            {"wait_messages": 4},
            {"end": True},
        ]}).run_ok()
    connect = a.of("connect")[0]
    assert connect["reasonCode"] == 0 and connect["sessionPresent"] is False
    assert connect["subprotocol"] == ("mqttv3.1" if version == 3 else "mqtt")
    assert a.of("subscribed")[0]["granted"] == [{"topic": "t/#", "qos": 2}]
    got = sorted((m["topic"], m["qos"], m["retain"], m["text"]) for m in a.messages())
    assert got == [("t/q0", 0, False, "zero"), ("t/q1", 1, False, "one"), ("t/q2", 2, False, "two"),
                   ("t/r", 1, False, "kept")]
    assert a.of("ended"), a.describe()
    assert wsb.connected_line(cid) is not None

    b = js(url(wsb, transport), {
        "options": js_options(pki, transport, version, cid + "-b"),
        "steps": [{"subscribe": [["t/r", 1]]}, {"wait_messages": 1}, {"end": True}]}).run_ok()
    assert [(m["topic"], m["qos"], m["retain"], m["text"]) for m in b.messages()] == [("t/r", 1, True, "kept")]

    # The will was discarded by the clean DISCONNECT: nothing within 0.5 s.
    assert not wait_for(lambda: will_watch.received(), timeout=0.5), will_watch.received()


@pytest.mark.parametrize("version", [4, 5])
@pytest.mark.parametrize("transport", ["ws", "wss"])
def test_cross_transport_ws_and_tcp(wsb, js, clients, pki, transport, version):
    """A WebSocket client (MQTT.js) and a tcp client (paho) exchange QoS 1 messages both ways.
    3.1.1:MQTT-3.8.4-6 5.0:MQTT-3.8.4-8"""
    paho = clients.paho(wsb, f"tcp-{transport}-{version}", version=PAHO_VERSION[version])
    paho.subscribe("x/ws2tcp", qos=1)

    sub = js(url(wsb, transport), {
        "options": js_options(pki, transport, version, f"jsub-{transport}-{version}"),
        "steps": [{"subscribe": [["x/tcp2ws", 1]]}, {"wait_messages": 1}, {"end": True}]})
    sub.wait_event("subscribed")
    paho.publish("x/tcp2ws", b"from-tcp", qos=1)
    sub.run_ok()
    assert [(m["topic"], m["qos"], m["text"]) for m in sub.messages()] == [("x/tcp2ws", 1, "from-tcp")]

    js(url(wsb, transport), {
        "options": js_options(pki, transport, version, f"jpub-{transport}-{version}"),
        "steps": [{"publish": {"topic": "x/ws2tcp", "qos": 1, "text": "from-ws"}}, {"end": True}]}).run_ok()
    got = paho.wait_messages(1)
    assert [(m.topic, m.payload, m.qos) for m in got] == [("x/ws2tcp", b"from-ws", 1)]


@pytest.mark.parametrize("transport", ["ws", "wss"])
def test_large_message_1mb_intact(wsb, js, clients, pki, transport):
    """A 1 MiB payload published by MQTT.js over WebSocket arrives intact (length and SHA-256) at a
    WebSocket subscriber (itself) and at a tcp subscriber; the broker does not assume one MQTT
    packet per WebSocket frame. 3.1.1:MQTT-6.0.0-2 5.0:MQTT-6.0.0-2"""
    size, seed = 1 << 20, 7
    expected = sha256(generated(size, seed))
    paho = clients.paho(wsb, f"big-tcp-{transport}")
    paho.subscribe("big/#", qos=1)
    a = js(url(wsb, transport), {
        "options": js_options(pki, transport, 4, f"big-{transport}"),
        "timeout": 20000,
        "steps": [{"subscribe": [["big/#", 1]]},
                  {"publish": {"topic": "big/one", "qos": 1, "size": size, "seed": seed}},
                  {"wait_messages": 1}, {"end": True}]}).run_ok(timeout=25)
    m = a.messages()
    assert [(x["topic"], x["length"], x["sha256"]) for x in m] == [("big/one", size, expected)]
    got = paho.wait_messages(1, timeout=10)
    assert len(got) == 1 and len(got[0].payload) == size and sha256(got[0].payload) == expected


def test_tcp_to_ws_large_message(wsb, js, clients):
    """1 MiB from a tcp publisher reaches an MQTT.js ws subscriber intact (the broker's outgoing
    WebSocket frames carry the whole packet, however it splits them). 3.1.1:MQTT-6.0.0-2
    5.0:MQTT-6.0.0-2"""
    size, seed = 1 << 20, 3
    sub = js(url(wsb, "ws"), {"options": {"clientId": "big-sub", "protocolVersion": 5}, "timeout": 20000,
                              "steps": [{"subscribe": [["big/#", 1]]}, {"wait_messages": 1}, {"end": True}]})
    sub.wait_event("subscribed")
    clients.paho(wsb, "big-pub").publish("big/tcp", generated(size, seed), qos=1)
    sub.run_ok(timeout=25)
    assert [(x["topic"], x["length"], x["sha256"]) for x in sub.messages()] == [
        ("big/tcp", size, sha256(generated(size, seed)))]


# ---------------------------------------------------------------------------------------------
# The HTTP upgrade: path, subprotocol, refusals
# ---------------------------------------------------------------------------------------------
REFUSALS = {
    # id: (request, expected status)
    "upgrade_on_root": (upgrade_request("/")[0], 404),
    "upgrade_on_other_path": (upgrade_request("/other")[0], 404),
    "upgrade_on_subpath": (upgrade_request("/mqtt/x")[0], 404),
    "plain_get_mqtt": (upgrade_request("/mqtt", subprotocols=None, upgrade=False)[0], 400),
    "plain_get_root": (upgrade_request("/", subprotocols=None, upgrade=False)[0], 400),
    "upgrade_without_subprotocol": (upgrade_request("/mqtt", subprotocols=None)[0], 400),
    "upgrade_other_subprotocols": (upgrade_request("/mqtt", subprotocols="chat, mqtt5x")[0], 400),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_http_upgrade_refused(wsb, case):
    """The ws listener refuses what is not a WebSocket upgrade to /mqtt offering the mqtt
    subprotocol: 404 for another path, 400 for a plain GET or no mqtt subprotocol, and closes the
    connection; the listener keeps accepting MQTT over WebSocket. No normative statement
    (VerneMQ feature): MQTT-6.0.0-3, that a client offers "mqtt", binds the client only."""
    request, expected = REFUSALS[case]
    status, headers, closed = http_exchange(wsb.ports["ws.default"], request)
    assert status == expected, (status, headers)
    assert closed, "connection not closed after the refusal"
    assert "sec-websocket-accept" not in headers
    c = WsRawClient(wsb.ports["ws.default"])
    c.send(rawmqtt.connect("after-refusal"))
    p = c.recv_packet()
    assert p is not None and p.type == CONNACK and p.body == b"\x00\x00"
    c.close()


@pytest.mark.parametrize("offered,chosen", [("mqtt", "mqtt"), ("chat, mqtt", "mqtt"), ("mqttv3.1", "mqttv3.1"),
                                            ("mqttv3.1, mqtt", "mqtt")])
def test_subprotocol_selected_is_mqtt(wsb, offered, chosen):
    """The server's Sec-WebSocket-Protocol is "mqtt" whenever the client offers it, among others
    or after "mqttv3.1"; an old 3.1 client offering only "mqttv3.1" gets that back. The upgrade
    answers 101 with a correct Sec-WebSocket-Accept, and MQTT then flows.
    3.1.1:MQTT-6.0.0-4 5.0:MQTT-6.0.0-4"""
    c = WsRawClient(wsb.ports["ws.default"], subprotocols=offered)
    assert c.status == 101
    assert c.headers.get("sec-websocket-protocol") == chosen
    c.send(rawmqtt.connect("subproto", version=3 if chosen == "mqttv3.1" else 4))
    p = c.recv_packet()
    assert p.type == CONNACK and p.body == b"\x00\x00"
    c.close()


def test_wss_upgrade_path_refused(wsb, pki):
    """The same refusal over TLS: a wss upgrade on another path gets 404. No normative statement
    (VerneMQ feature)."""
    ctx = ssl.create_default_context(cafile=pki.ca_pem)
    raw = socket.create_connection(("127.0.0.1", wsb.ports["wss.default"]), timeout=5)
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
        s.sendall(upgrade_request("/other")[0])
        status, headers, _ = read_http_head(s)
    assert status == 404, (status, headers)


# ---------------------------------------------------------------------------------------------
# Frames: binary only, packets not aligned on frames
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", [4, 5])
def test_packets_split_and_joined_across_frames(wsb, version):
    """The broker reassembles MQTT packets however they are framed: a CONNECT split over three
    binary messages, a SUBSCRIBE and a PUBLISH in one frame, a PUBLISH sent as a fragmented
    message (binary frame + continuation frames). Everything the broker sends is in binary
    frames, unmasked. 3.1.1:MQTT-6.0.0-1 3.1.1:MQTT-6.0.0-2 5.0:MQTT-6.0.0-1 5.0:MQTT-6.0.0-2"""
    c = WsRawClient(wsb.ports["ws.default"])
    conn = rawmqtt.connect(f"frames{version}", version=version)
    c.send(conn[:1])
    c.send(conn[1:5])
    c.send(conn[5:])
    p = c.recv_packet()
    assert p.type == CONNACK and p.body[:2] == b"\x00\x00"
    c.send(rawmqtt.subscribe([("f/#", 1)], packet_id=1, version=version)
           + rawmqtt.publish("f/a", b"joined", qos=0, version=version))
    p = c.recv_packet()
    assert p.type == SUBACK and p.body[:2] == b"\x00\x01" and p.body[-1] == 1
    pub = Pub(c.recv_packet(), version)
    assert (pub.topic, pub.payload, pub.qos) == ("f/a", b"joined", 0)
    frag = rawmqtt.publish("f/b", b"fragmented" * 100, qos=0, version=version)
    c.send_frame(OP_BINARY, frag[:7], fin=False)
    c.send_frame(OP_CONT, frag[7:500], fin=False)
    c.send_frame(OP_CONT, frag[500:], fin=True)
    pub = Pub(c.recv_packet(), version)
    assert (pub.topic, pub.payload) == ("f/b", b"fragmented" * 100)
    assert c.frame_opcodes and all(op == (OP_BINARY, False) or op == (OP_CONT, False) for op in c.frame_opcodes), \
        c.frame_opcodes
    c.close()




def test_connect_in_text_frame_closes_connection(wsb):
    """A CONNECT (all ASCII bytes) in a text data frame is not MQTT: the broker closes the
    connection without CONNACK. 3.1.1:MQTT-6.0.0-1 5.0:MQTT-6.0.0-1"""
    c = WsRawClient(wsb.ports["ws.default"])
    c.send_frame(OP_TEXT, rawmqtt.connect("text-frame"))
    closed, packets = rawmqtt.read_until_closed(c)
    c.close()
    assert closed and not packets, f"closed={closed} packets={packets}"


def test_publish_in_text_frame_closes_connection(wsb, clients):
    """After CONNACK, a PUBLISH (valid UTF-8 bytes) in a text frame closes the connection and is
    not delivered: a tcp subscriber to its topic gets nothing. 3.1.1:MQTT-6.0.0-1 5.0:MQTT-6.0.0-1"""
    watcher = clients.paho(wsb, "text-watch")
    watcher.subscribe("text/#", qos=0)
    c = WsRawClient(wsb.ports["ws.default"])
    c.send(rawmqtt.connect("text-frame"))
    assert c.recv_packet().type == CONNACK
    c.send_frame(OP_TEXT, rawmqtt.publish("text/t", b"hello"))
    closed, packets = rawmqtt.read_until_closed(c)
    c.close()
    delivered = wait_for(lambda: watcher.received(), timeout=0.3)
    assert closed and not packets and not delivered, f"closed={closed} packets={packets} delivered={delivered}"


def test_pingreq_in_text_frame_closes_connection(wsb):
    """A PINGREQ (0xC0 0x00, not valid UTF-8) in a text frame closes the connection without
    PINGRESP. 3.1.1:MQTT-6.0.0-1 5.0:MQTT-6.0.0-1"""
    c = WsRawClient(wsb.ports["ws.default"])
    c.send(rawmqtt.connect("text-ping"))
    assert c.recv_packet().type == CONNACK
    c.send_frame(OP_TEXT, PINGREQ_BYTES)
    closed, packets = rawmqtt.read_until_closed(c)
    c.close()
    assert closed and not packets, f"closed={closed} packets={packets}"


def test_websocket_ping_answered_and_mqtt_continues(wsb):
    """A WebSocket ping between MQTT packets is answered with a pong carrying its payload, and the
    MQTT session goes on (a PINGREQ gets its PINGRESP in a binary frame). RFC 6455 5.5.2/5.5.3;
    no MQTT normative statement (control frames are not MQTT data frames)."""
    c = WsRawClient(wsb.ports["ws.default"])
    c.send(rawmqtt.connect("ws-ping"))
    assert c.recv_packet().type == CONNACK
    c.send_frame(OP_PING, b"are-you-there")
    c.send(PINGREQ_BYTES)
    p = c.recv_packet()
    c.close()
    assert p.type == 13 and p.body == b""
    assert c.pongs == [b"are-you-there"]


# ---------------------------------------------------------------------------------------------
# A malformed packet disconnects that client only
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", [4, 5])
def test_malformed_packet_over_ws_disconnects_only_that_client(wsb, js, clients, version):
    """A WebSocket client sending a PUBLISH with QoS 3 is disconnected (5.0: DISCONNECT 0x81
    first), while an MQTT.js WebSocket client connected before keeps receiving and a new
    WebSocket client connects. 3.1.1:MQTT-3.3.1-4 5.0:MQTT-3.3.1-4 3.1.1:MQTT-4.8.0-1
    5.0:MQTT-4.13.1-1"""
    keeper = js(url(wsb, "ws"), {"options": {"clientId": f"keeper{version}", "protocolVersion": version},
                                 "steps": [{"subscribe": [["keep/#", 1]]}, {"wait_messages": 1}, {"end": True}]})
    keeper.wait_event("subscribed")

    bad = WsRawClient(wsb.ports["ws.default"])
    bad.send(rawmqtt.connect(f"bad{version}", version=version))
    assert bad.recv_packet().type == CONNACK
    bad.send(rawmqtt.packet(0x36, rawmqtt.utf8("keep/x") + b"\x00\x01" + (b"\x00" if version == 5 else b"") + b"x"))
    closed, packets = rawmqtt.read_until_closed(bad, timeout=3.0)
    bad.close()
    assert closed, f"malformed client not disconnected; got {packets}"
    if version == 5:
        assert [(p.type, p.body[:1]) for p in packets] == [(DISCONNECT, b"\x81")], packets
    else:
        assert packets == []

    fresh = WsRawClient(wsb.ports["ws.default"])
    fresh.send(rawmqtt.connect(f"fresh{version}", version=version))
    assert fresh.recv_packet().type == CONNACK
    fresh.close()
    clients.paho(wsb, f"pub{version}").publish("keep/ok", b"still here", qos=1)
    keeper.run_ok()
    assert [(m["topic"], m["text"]) for m in keeper.messages()] == [("keep/ok", "still here")]
