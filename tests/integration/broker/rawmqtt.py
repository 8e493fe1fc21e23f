"""A raw-bytes MQTT client for tests: sends exactly the bytes a test gives and decodes just
enough of the answers to assert on packet types and reason codes. Written for these tests;
it is deliberately independent of the broker's own codec."""
import socket
import struct
import time


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def utf8(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("!H", len(b)) + b


def packet(first_byte, body):
    return bytes([first_byte]) + varint(len(body)) + body


def connect(client_id="raw", version=4, clean=True, keep_alive=60, props=b"", will=None, username=None,
            password=None):
    """CONNECT bytes. `will` = (topic, payload, qos, retain[, will_props])."""
    name = "MQIsdp" if version == 3 else "MQTT"
    flags = 0x02 if clean else 0
    payload = utf8(client_id)
    if will:
        topic, body, qos, retain = will[:4]
        flags |= 0x04 | (qos << 3) | (0x20 if retain else 0)
        if version == 5:
            wp = will[4] if len(will) > 4 else b""
            payload += varint(len(wp)) + wp
        payload += utf8(topic) + utf8(body)
    if username is not None:
        flags |= 0x80
        payload += utf8(username)
    if password is not None:
        flags |= 0x40
        payload += utf8(password)
    vh = utf8(name) + bytes([version, flags]) + struct.pack("!H", keep_alive)
    if version == 5:
        vh += varint(len(props)) + props
    return packet(0x10, vh + payload)


def publish(topic, payload=b"", qos=0, retain=False, packet_id=1, dup=False, version=4, props=b""):
    flags = (qos << 1) | (1 if retain else 0) | (0x08 if dup else 0)
    body = utf8(topic)
    if qos:
        body += struct.pack("!H", packet_id)
    if version == 5:
        body += varint(len(props)) + props
    return packet(0x30 | flags, body + (payload.encode() if isinstance(payload, str) else payload))


def subscribe(filters, packet_id=1, version=4, props=b""):
    """`filters`: list of (filter, options_byte)."""
    body = struct.pack("!H", packet_id)
    if version == 5:
        body += varint(len(props)) + props
    for f, opts in filters:
        body += utf8(f) + bytes([opts])
    return packet(0x82, body)


class Packet:
    def __init__(self, first_byte, body):
        self.type = first_byte >> 4
        self.flags = first_byte & 0x0F
        self.body = body

    def __repr__(self):
        return f"Packet(type={self.type}, flags={self.flags:#x}, body={self.body!r})"


class RawClient:
    def __init__(self, port, host="127.0.0.1", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def recv_packet(self, timeout=5.0):
        """The next packet, or None when the server closed the connection."""
        deadline = time.time() + timeout
        while True:
            p = self._parse()
            if p is not None:
                return p
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("no packet from server")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def _parse(self):
        if len(self.buf) < 2:
            return None
        mult, value, i = 1, 0, 1
        while True:
            if i >= len(self.buf):
                return None
            b = self.buf[i]
            value += (b & 0x7F) * mult
            mult *= 128
            i += 1
            if not b & 0x80:
                break
        if len(self.buf) < i + value:
            return None
        p = Packet(self.buf[0], self.buf[i:i + value])
        self.buf = self.buf[i + value:]
        return p

    def closed_by_server(self, timeout=5.0):
        """True when the server closes the connection (after any packets it sends first)."""
        try:
            while True:
                if self.recv_packet(timeout) is None:
                    return True
        except TimeoutError:
            return False

    def close(self):
        self.sock.close()


def read_until_closed(client, timeout=0.5):
    """(closed, packets): reads from any client with `recv_packet(timeout)` until the server
    closes the connection (closed = True) or `timeout` passes without a packet (False)."""
    packets = []
    try:
        while True:
            p = client.recv_packet(timeout=timeout)
            if p is None:
                return True, packets
            packets.append(p)
    except TimeoutError:
        return False, packets
