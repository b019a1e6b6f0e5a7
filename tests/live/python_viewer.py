"""An independent live-session viewer: Debian's python3-socketio, not our code.

Usage: python_viewer.py <server url> <json auth> <stop after: "completed" | "connect">
Prints one JSON object per line: what the server sent, in the order it arrived.
"""
import json
import os
import sys
import threading

import socketio

url, auth, stop = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
done = threading.Event()
client = socketio.Client(reconnection=False)
NS = "/viewer"


lock = threading.Lock()


def out(kind, **fields):
    line = json.dumps({"type": kind, **fields}) + "\n"
    with lock:
        sys.stdout.write(line)
        sys.stdout.flush()


@client.on("connect", namespace=NS)
def on_connect():
    out("connected")


@client.on("connect_error", namespace=NS)
def on_connect_error(data):
    out("refused", data=data)
    done.set()


@client.on("live:snapshot", namespace=NS)
def on_snapshot(snapshot):
    out("snapshot", seq=snapshot["seq"], messages=[m["id"] for m in snapshot["messages"]], role=snapshot["role"])
    if stop == "connect":
        done.set()


@client.on("live:event", namespace=NS)
def on_event(event):
    message = event.get("message")
    out("event", seq=event["seq"], name=event["name"], message=message["id"] if message else None,
        status=event.get("status"))
    if event["name"] == "discussion_updated" and event.get("status") == stop:
        done.set()


@client.on("live:closed", namespace=NS)
def on_closed(data):
    out("closed", reason=data["reason"])
    done.set()


def connect():
    try:
        client.connect(url, auth=auth, namespaces=[NS], socketio_path="live/socket.io", transports=["websocket"],
                       wait_timeout=10)
    except socketio.exceptions.ConnectionError as error:
        out("connection_error", message=str(error))
        done.set()


# connect() waits out its timeout after a refusal; the refusal itself (connect_error) ends the run.
threading.Thread(target=connect, daemon=True).start()
finished = done.wait(timeout=60)
# The client's background threads may linger after a refusal; leave without waiting for them.
os._exit(0 if finished else 3)
