"""What the tests share: the node of the module, a WebSocket client on it, frames to send."""

import asyncio
import itertools

from wsclient import WebSocket

_ids = itertools.count(1)


def req(command, kwargs=None, id=None, **fields):
    frame = {"mode": "req_res", "action": "req", "command": command, "id": next(_ids) if id is None else id,
             "kwargs": kwargs or {}}
    frame.update(fields)
    return frame


def pub(topic, data, msg="", code=200):
    return {"mode": "pub_sub", "action": "pub", "topic": topic, "code": code, "msg": msg, "data": data}


async def client(node):
    return await WebSocket.connect("127.0.0.1", node.port)


async def subscribed(node, *topics):
    ws = await client(node)
    await ws.send({"mode": "pub_sub", "action": "sub", "topic": list(topics), "id": "sub"})
    ack = await ws.until(lambda m: m.get("action") == "ack")
    assert ack["code"] == 200, ack
    return ws


async def final(ws, id, timeout=10):
    """The final response to request `id`, intermediate ones skipped."""
    return await ws.until(lambda m: m.get("id") == id and m.get("action") == "res" and not m.get("more"), timeout)


async def eventually(check, timeout=10, interval=0.1):
    """Polls an async check until it returns a true value (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result or loop.time() > deadline:
            return result
        await asyncio.sleep(interval)
