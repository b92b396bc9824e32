"""Python handlers through a real node's bridge (the fat jar), seen from real WebSocket
clients: answers, codes, progress, dialogues, cancel, a blocking handler, publications."""

import asyncio
import threading
import time
import unittest

import jwgw
from nodeprocess import shared_node
from support import client, eventually, final, pub, req, subscribed
from tcpproxy import Proxy

NODE = None


def setUpModule():
    global NODE
    NODE = shared_node()


class HandlersTest(unittest.IsolatedAsyncioTestCase):

    async def asyncSetUp(self):
        self.app = jwgw.Handlers(NODE.bridge, src="py")
        self.ws = None

    async def asyncTearDown(self):
        await self.app.close()
        if self.ws is not None:
            await self.ws.close()

    async def serve(self):
        await self.app.start(timeout=10)
        self.ws = await client(NODE)
        return self.ws

    async def test_answers_and_codes_like_java_handlers(self):
        @self.app.command("py_hello")
        async def hello(r):
            return 200, "success", {"hi": r.kwargs["name"], "args": r.args}

        @self.app.command("py_lookup")
        async def lookup(r):
            raise jwgw.CommandError(404, "没查到")

        @self.app.command("py_crash")
        async def crash(r):
            raise ValueError("a bug")

        @self.app.command("py_dict")
        def as_dict(r):
            return {"code": 201, "msg": "created", "data": [1]}

        @self.app.command("py_plain")
        async def plain(r):
            return [1, 2]

        @self.app.command("py_not_json")
        async def not_json(r):
            return 200, "success", object()

        ws = await self.serve()
        await ws.send(req("py_hello", {"name": "jw"}, id="h", args=[1, 2], src="front"))
        self.assertEqual({"mode": "req_res", "action": "res", "src": "py", "code": 200, "msg": "success",
                          "data": {"hi": "jw", "args": [1, 2]}, "command": "py_hello", "id": "h"}, await final(ws, "h"))
        expected = {"py_lookup": (404, "没查到", []), "py_crash": (500, "handler failed", []),
                    "py_dict": (201, "created", [1]), "py_plain": (200, "success", [1, 2]),
                    "py_not_json": (500, "handler failed", [])}
        for command in expected:
            await ws.send(req(command, id=command))
        answers = {}
        for _ in expected:
            answer = await ws.recv()
            answers[answer["id"]] = answer
        for command, (code, msg, data) in expected.items():
            answer = answers[command]
            self.assertEqual((code, msg, data, "py"), (answer["code"], answer["msg"], answer["data"], answer["src"]), command)

    async def test_progress_streams_then_the_final_answer(self):
        @self.app.command("py_stream")
        async def stream(r):
            for step in range(1, 4):
                await r.progress({"step": step}, msg="working")
            return 200, "done", {"steps": 3}

        ws = await self.serve()
        await ws.send(req("py_stream", id=7))
        frames = [await ws.recv() for _ in range(4)]
        self.assertEqual([{"step": 1}, {"step": 2}, {"step": 3}], [f["data"] for f in frames[:3]])
        self.assertTrue(all(f["more"] and f["msg"] == "working" and f["id"] == 7 and f["src"] == "py" for f in frames[:3]))
        self.assertEqual((200, "done", {"steps": 3}), (frames[3]["code"], frames[3]["msg"], frames[3]["data"]))
        self.assertNotIn("more", frames[3])

    async def test_a_blocking_sync_handler_delays_no_other_request(self):
        release = threading.Event()

        @self.app.command("py_block")
        def block(r):
            # holds its worker thread, as the original library's handlers held the loop
            release.wait(30)
            return 200, "success", "unblocked"

        @self.app.command("py_quick")
        async def quick(r):
            return 200, "success", "quick"

        @self.app.command("py_sync_quick")
        def sync_quick(r):
            return 200, "success", "sync quick"

        ws = await self.serve()
        await ws.send(req("py_block", id="block"))
        await ws.send(req("py_quick", id="quick"))
        await ws.send(req("py_sync_quick", id="sync"))
        # both answered while the blocking one still holds its thread
        answers = {(await ws.recv())["id"] for _ in range(2)}
        self.assertEqual({"quick", "sync"}, answers)
        release.set()
        self.assertEqual("unblocked", (await final(ws, "block"))["data"])

    async def test_a_sync_handler_sends_progress_from_its_thread(self):
        @self.app.command("py_sync_stream")
        def sync_stream(r):
            for step in range(2):
                r.progress({"step": step})
            return 200, "success", "done"

        ws = await self.serve()
        await ws.send(req("py_sync_stream", id="s"))
        frames = [await ws.recv() for _ in range(3)]
        self.assertEqual([{"step": 0}, {"step": 1}, "done"], [f["data"] for f in frames])

    async def test_a_sync_handler_publishes_from_its_thread(self):
        @self.app.command("py_sync_publish")
        def sync_publish(r):
            self.app.publish("py_sync_news", data=r.kwargs, msg="from a thread")
            return 200, "success", "published"

        await self.app.start(timeout=10)
        subscriber = await subscribed(NODE, "py_sync_news")
        try:
            await subscriber.send(req("py_sync_publish", {"n": 1}, id="p"))
            publication = await subscriber.until(lambda m: m.get("action") == "pub")
            self.assertEqual(("from a thread", {"n": 1}), (publication["msg"], publication["data"]))
            self.assertEqual("published", (await final(subscriber, "p"))["data"])
        finally:
            await subscriber.close()

    async def test_cancel_is_answered_499_and_stops_the_handler(self):
        stopped = asyncio.Event()

        @self.app.command("py_forever")
        async def forever(r):
            await r.progress("started")
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                stopped.set()
                raise
            return 200, "success", "too late"

        ws = await self.serve()
        await ws.send(req("py_forever", id="f"))
        self.assertEqual("started", (await ws.recv())["data"])
        await ws.send({"mode": "req_res", "action": "cancel", "id": "f"})
        answer = await final(ws, "f")
        self.assertEqual((499, "gateway"), (answer["code"], answer["src"]))
        await asyncio.wait_for(stopped.wait(), 10)

    async def test_a_client_that_goes_away_ends_the_request(self):
        ended = asyncio.Event()
        seen = {}

        @self.app.command("py_watch")
        async def watch(r):
            await r.attach()
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                seen["reason"] = r.end_reason
                ended.set()
                raise

        ws = await self.serve()
        await ws.send(req("py_watch", id="w"))
        await asyncio.sleep(0.3)
        await ws.close()
        self.ws = None
        await asyncio.wait_for(ended.wait(), 10)
        self.assertEqual("CLIENT_GONE", seen["reason"])

    async def test_dialogue_rounds_reach_the_same_invocation(self):
        @self.app.command("py_dialogue")
        async def dialogue(r):
            await r.progress({"round": 0, "kwargs": r.kwargs})
            number = 0
            while True:
                nxt = await r.next_round(timeout=10)
                number += 1
                if nxt.kwargs.get("done"):
                    return 200, "success", {"rounds": number}
                await r.progress({"round": number, "kwargs": nxt.kwargs})

        ws = await self.serve()
        await ws.send(req("py_dialogue", {"q": "a"}, id="d"))
        self.assertEqual({"round": 0, "kwargs": {"q": "a"}}, (await ws.recv())["data"])
        await ws.send(req("py_dialogue", {"q": "b"}, id="d"))
        self.assertEqual({"round": 1, "kwargs": {"q": "b"}}, (await ws.recv())["data"])
        await ws.send(req("py_dialogue", {"done": True}, id="d"))
        self.assertEqual({"rounds": 2}, (await final(ws, "d"))["data"])

    async def test_publish_and_broadcast_reach_websocket_clients(self):
        await self.app.start(timeout=10)
        subscriber = await subscribed(NODE, "py_news")
        other = await client(NODE)
        try:
            await self.app.publish("py_news", data={"n": 1}, msg="新闻", code=201)
            self.assertEqual({"mode": "pub_sub", "action": "pub", "src": "py", "topic": "py_news", "code": 201, "msg": "新闻",
                              "data": {"n": 1}}, await subscriber.until(lambda m: m.get("action") == "pub"))
            await self.app.broadcast({"mode": "push", "action": "push", "msg": "to everyone"})
            for ws in (subscriber, other):
                self.assertEqual("to everyone", (await ws.until(lambda m: m.get("mode") == "push"))["msg"])
        finally:
            await subscriber.close()
            await other.close()

    async def test_topic_callbacks_receive_publications_from_clients(self):
        seen = asyncio.Queue()

        @self.app.topic("py_orders")
        async def orders(publication):
            await seen.put(publication)
            await self.app.publish("py_orders_seen", data=publication["data"])

        await self.app.start(timeout=10)
        publisher = await subscribed(NODE, "py_orders_seen")
        try:
            await publisher.send(pub("py_orders", [{"id": 1}], msg="new order"))
            publication = await asyncio.wait_for(seen.get(), 10)
            self.assertEqual(("py_orders", "new order", [{"id": 1}]), (publication["topic"], publication["msg"], publication["data"]))
            echoed = await publisher.until(lambda m: m.get("topic") == "py_orders_seen")
            self.assertEqual([{"id": 1}], echoed["data"])
        finally:
            await publisher.close()

    async def test_clean_shutdown_unregisters_at_once(self):
        @self.app.command("py_temporary")
        async def temporary(r):
            return 200, "success", "here"

        ws = await self.serve()
        await ws.send(req("py_temporary", id=1))
        self.assertEqual(200, (await final(ws, 1))["code"])
        started = time.monotonic()
        await self.app.close()
        await ws.send(req("py_temporary", id=2))
        answer = await final(ws, 2)
        self.assertEqual((404, "no handler for command py_temporary"), (answer["code"], answer["msg"]))
        self.assertLess(time.monotonic() - started, 5)

    async def test_reconnects_and_registers_again_after_the_connection_is_cut(self):
        proxy = Proxy(NODE.bridge)
        self.app = jwgw.Handlers(await proxy.start(), src="py", backoff=(0.05, 0.5))
        held = asyncio.Event()
        ended = {}

        @self.app.command("py_again")
        async def again(r):
            if r.kwargs.get("hold"):
                await r.attach()
                held.set()
                try:
                    await asyncio.sleep(60)
                except asyncio.CancelledError:
                    ended["reason"] = r.end_reason
                    raise
            return 200, "success", "served"

        ws = await self.serve()
        try:
            await ws.send(req("py_again", {"hold": True}, id="held"))
            await asyncio.wait_for(held.wait(), 10)
            proxy.cut()
            # the request in flight fails at once; the handler learns it
            answer = await final(ws, "held")
            self.assertEqual((503, "bridge handler disconnected"), (answer["code"], answer["msg"]))
            await eventually(lambda: asyncio.sleep(0, "reason" in ended), timeout=5)
            self.assertEqual("CLIENT_GONE", ended.get("reason"))
            numbers = iter(range(1000))

            async def served():
                number = next(numbers)
                await ws.send(req("py_again", id=number))
                return (await final(ws, number))["data"] == "served"
            self.assertTrue(await eventually(served, timeout=10))
        finally:
            await proxy.stop()

    async def test_a_command_the_rules_do_not_permit_fails_start(self):
        @self.app.command("not_python")
        async def refused(r):
            return 200, "success", []

        with self.assertRaises(jwgw.BridgeRefused):
            await self.app.start(timeout=10)


if __name__ == "__main__":
    unittest.main()
