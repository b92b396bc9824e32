"""The bridge refuses what its rules do not permit, and garbage closes only the bridge client
that sent it: the node, its WebSocket clients and other bridge clients carry on."""

import asyncio
import struct
import unittest

import jwgw
from nodeprocess import shared_node
from rawbridge import RawBridge
from support import client, final, req

NODE = None


def setUpModule():
    global NODE
    NODE = shared_node()


class RulesTest(unittest.IsolatedAsyncioTestCase):

    async def asyncSetUp(self):
        self.bridge = await RawBridge.connect(NODE.bridge)
        self.assertEqual({"type": "pong"}, await self.bridge.ping())

    async def asyncTearDown(self):
        self.bridge.close()

    async def refused(self, frame):
        self.bridge.send(frame)
        answer = await self.bridge.recv()
        self.assertEqual(("err", "access_denied", frame["address"]), (answer["type"], answer["message"], answer.get("address")), frame)
        # refused, not closed
        self.assertEqual({"type": "pong"}, await self.bridge.ping())

    async def test_only_what_the_rules_permit(self):
        for frame in [
            {"type": "register", "address": "cmd.echo"},  # a command outside bridge.commands
            {"type": "register", "address": "topic.secret"},  # a topic outside bridge.subscribe
            {"type": "register", "address": "jw.broadcast"},  # an internal address
            {"type": "register", "address": "jw.ctl.not-a-uuid"},
            {"type": "register", "address": "jw.conn.1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
            {"type": "publish", "address": "topic.secret", "body": {"data": 1}},  # outside bridge.publish
            {"type": "publish", "address": "cmd.py_x", "body": {}},
            {"type": "send", "address": "cmd.echo", "body": {"command": "echo"}, "replyAddress": "r"},
            {"type": "send", "address": "__vertx.reply.1", "body": {}},
            {"type": "send", "address": "jw.conn.1b4e28ba-2fa1-11d2-883f-0016d3cca427", "body": {"mode": "push"}},
        ]:
            await self.refused(frame)

    async def test_no_sends_to_a_connection_it_is_not_answering(self):
        # a request held open by another bridge client (a jwgw process): this one may not speak in it
        app = jwgw.Handlers(NODE.bridge, src="py")
        seen = {}
        held = asyncio.Event()
        release = asyncio.Event()

        @app.command("py_reveal")
        async def reveal(r):
            seen["connection"], seen["rid"] = r.connection, r._rid
            held.set()
            await release.wait()
            return 200, "success", "the holder's answer"

        await app.start(timeout=10)
        ws = await client(NODE)
        try:
            await ws.send(req("py_reveal", id=1))
            await asyncio.wait_for(held.wait(), 10)
            for kind in ("more", "attach"):
                await self.refused({"type": "send", "address": seen["connection"], "replyAddress": "r", "body": {"code": 200},
                                    "headers": {"jw-kind": kind, "jw-rid": seen["rid"], "jw-answer": "1",
                                                "jw-ctl": "jw.ctl.1b4e28ba-2fa1-11d2-883f-0016d3cca427"}})
            release.set()
            answer = await ws.recv()
            self.assertEqual(("the holder's answer", 1), (answer["data"], answer["id"]))
        finally:
            await ws.close()
            await app.close()

    async def test_garbage_closes_only_that_client(self):
        app = jwgw.Handlers(NODE.bridge, src="py")

        @app.command("py_alive")
        async def alive(r):
            return 200, "success", "alive"

        await app.start(timeout=10)
        ws = await client(NODE)
        try:
            garbage = [
                lambda b: b.send_json_text("not json"),
                lambda b: b.send_json_text("[1, 2]"),
                lambda b: b.send_bytes(struct.pack(">I", 0x7FFFFFFF) + b"{"),  # over maxFrameSize, refused from the header
                lambda b: b.send_bytes(struct.pack(">I", 0)),
                lambda b: b.send({"type": 5, "address": "cmd.py_x"}),
                lambda b: b.send({"type": "shout", "address": "cmd.py_x"}),
                lambda b: b.send({"type": "register"}),
                lambda b: b.send({"type": "send", "address": "x", "headers": {"jw-kind": 1}}),
                lambda b: b.send({"type": "send", "address": "x", "headers": "h"}),
                lambda b: b.send({"type": "send", "address": "x", "failureCode": "500"}),
            ]
            for number, send in enumerate(garbage):
                bad = await RawBridge.connect(NODE.bridge)
                send(bad)
                self.assertTrue(await bad.closed_by_server(), number)
                bad.close()
                # the node, its clients and the other bridge client carry on
                await ws.send(req("py_alive", id=number))
                self.assertEqual("alive", (await final(ws, number))["data"])
                self.assertEqual({"type": "pong"}, await self.bridge.ping())
        finally:
            await ws.close()
            await app.close()


if __name__ == "__main__":
    unittest.main()
