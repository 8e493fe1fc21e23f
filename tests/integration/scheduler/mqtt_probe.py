"""MQTT round trips through real clients (mosquitto_pub/sub and paho) for the scheduler tests."""
import subprocess
import threading
import time
import uuid

import paho.mqtt.client as mqtt


def round_trip(port, host="127.0.0.1", timeout=10):
    """Subscribes with mosquitto_sub, publishes with mosquitto_pub, and returns the message seen."""
    topic = "probe/" + uuid.uuid4().hex
    sub = subprocess.Popen(["mosquitto_sub", "-h", host, "-p", str(port), "-t", topic, "-C", "1", "-W", str(timeout),
                            "-q", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + timeout
        while sub.poll() is None and time.time() < deadline:
            subprocess.run(["mosquitto_pub", "-h", host, "-p", str(port), "-t", topic, "-m", "hello", "-q", "1"],
                           capture_output=True, timeout=timeout)
            try:
                out, err = sub.communicate(timeout=0.5)
                return out.strip()
            except subprocess.TimeoutExpired:
                continue
        return None
    finally:
        if sub.poll() is None:
            sub.kill()
            sub.wait()


def self_round_trip(port, host="127.0.0.1", timeout=10):
    """One paho client subscribes and publishes to its own topic over one connection, so the
    message stays on whichever node the connection reached (through a load balancer, before the
    nodes cluster, a second connection may land on another node). Returns the payload seen."""
    topic = "probe/" + uuid.uuid4().hex
    got = threading.Event()
    seen = []
    client = mqtt.Client(client_id="", clean_session=True, protocol=mqtt.MQTTv311)

    def on_message(_client, _userdata, message):
        seen.append(message.payload.decode())
        got.set()
    client.on_message = on_message
    try:
        client.connect(host, port, keepalive=10)
        client.loop_start()
        result, mid = client.subscribe(topic, qos=1)
        deadline = time.time() + timeout
        while not got.is_set() and time.time() < deadline:
            client.publish(topic, b"hello", qos=1).wait_for_publish(timeout=2)
            got.wait(0.5)
        return seen[0] if seen else None
    except OSError:
        return None
    finally:
        client.loop_stop()
        client.disconnect()


class PublishLoop:
    """Connects through `port` (again and again when the connection drops) and publishes a QoS 1
    message every `interval` seconds, recording when each PUBACK arrived. The longest gap between
    acknowledged publishes is what a rolling restart must keep short."""

    def __init__(self, port, interval=0.2):
        self.port = port
        self.interval = interval
        self.acked = []
        self.reconnects = 0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join(30)

    def run(self):
        while not self.stop_event.is_set():
            client = mqtt.Client(client_id="", clean_session=True, protocol=mqtt.MQTTv311)
            try:
                client.connect("127.0.0.1", self.port, keepalive=5)
                client.loop_start()
                while not self.stop_event.is_set():
                    info = client.publish("roll/probe", b"x", qos=1)
                    info.wait_for_publish(timeout=3)
                    if not info.is_published():
                        break
                    self.acked.append(time.time())
                    time.sleep(self.interval)
            except (OSError, ValueError, RuntimeError):
                pass
            finally:
                client.loop_stop()
                try:
                    client.disconnect()
                except Exception:
                    pass
            self.reconnects += 1
            time.sleep(0.1)

    def longest_gap(self, since, until):
        times = [since] + [t for t in self.acked if since <= t <= until] + [until]
        return max(b - a for a, b in zip(times, times[1:]))
