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


lock = threading.RLock()


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


# python-engineio hands each message to its own thread, so handlers may run (and print) out of
# arrival order: events are collected by seq, and the run ends once every seq up to the
# "completed" update has arrived.
state = {"from": None, "seen": {}, "until": None}


def finish_if_complete():
    if state["until"] is None or state["from"] is None:
        return
    if all(seq in state["seen"] for seq in range(state["from"] + 1, state["until"] + 1)):
        done.set()


@client.on("live:snapshot", namespace=NS)
def on_snapshot(snapshot):
    out("snapshot", seq=snapshot["seq"], messages=[m["id"] for m in snapshot["messages"]], role=snapshot["role"])
    with lock:
        state["from"] = snapshot["seq"]
        finish_if_complete()
    if stop == "connect":
        done.set()


@client.on("live:events", namespace=NS)
def on_events(events):
    for event in events:
        on_event(event)


def on_event(event):
    message = event.get("message")
    with lock:
        if event["seq"] in state["seen"]:
            state["seen"][event["seq"]]["duplicate"] = True
        else:
            state["seen"][event["seq"]] = {"seq": event["seq"], "name": event["name"],
                                           "message": message["id"] if message else None,
                                           "status": event.get("status")}
        if event["name"] == "discussion_updated" and event.get("status") == stop:
            state["until"] = event["seq"]
        finish_if_complete()


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
with lock:
    for seq in sorted(state["seen"]):
        out("event", **state["seen"][seq])
# The client's background threads may linger after a refusal; leave without waiting for them.
os._exit(0 if finished else 3)
