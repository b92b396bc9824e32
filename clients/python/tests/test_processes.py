"""The examples as separate Python processes on a real node: killed with SIGKILL, two sharing
a command, a topic callback publishing."""

import asyncio
import os
import signal
import unittest

from nodeprocess import Example, Node, shared_node
from support import client, eventually, final, pub, req, subscribed

NODE = None


def setUpModule():
    global NODE
    NODE = shared_node()


class ProcessesTest(unittest.IsolatedAsyncioTestCase):

    async def asyncSetUp(self):
        self.examples = []
        self.ws = await client(NODE)

    async def asyncTearDown(self):
        await self.ws.close()
        for example in self.examples:
            example.stop()

    def start(self, name, *args):
        example = Example(name, NODE.bridge, *args)
        self.examples.append(example)
        return example

    async def test_add_user_answers_with_its_kwargs(self):
        self.start("add_user")
        await self.ws.send(req("add_user", {"name": "jw", "age": 110}, id=1, src="front"))
        self.assertEqual({"mode": "req_res", "action": "res", "src": "add_user", "code": 200, "msg": "success",
                          "data": [{"name": "jw", "age": 110}], "command": "add_user", "id": 1}, await final(self.ws, 1))

    async def test_restart_process_streams_its_progress(self):
        self.start("restart_process")
        await self.ws.send(req("restart_process", {"name": "nginx", "interval_ms": 20}, id="r"))
        frames = [await self.ws.recv() for _ in range(5)]
        self.assertEqual(["stopping", "stopped", "starting", "started", "success"], [f["msg"] for f in frames])
        self.assertEqual([25, 50, 75, 100], [f["data"]["progress"] for f in frames[:4]])
        self.assertEqual({"process": "nginx", "restarted": True}, frames[4]["data"])

    async def test_a_handler_killed_fails_its_requests_with_503_and_its_registration_goes(self):
        victim = self.start("restart_process")
        await self.ws.send(req("restart_process", {"name": "db", "steps": 100, "interval_ms": 500}, id="k"))
        self.assertTrue((await self.ws.recv())["more"])
        os.kill(victim.process.pid, signal.SIGKILL)
        answer = await final(self.ws, "k")
        self.assertEqual((503, "bridge handler disconnected"), (answer["code"], answer["msg"]))

        async def gone():
            await self.ws.send(req("restart_process", {"name": "db"}, id="after"))
            return (await final(self.ws, "after"))["code"] == 404
        self.assertTrue(await eventually(gone, timeout=5))

    async def test_two_processes_share_a_command_round_robin(self):
        self.start("add_user", "--src", "first")
        self.start("add_user", "--src", "second")
        ids = [f"rr{i}" for i in range(10)]
        for id in ids:
            await self.ws.send(req("add_user", {"n": id}, id=id))
        sources = [(await self.ws.recv())["src"] for _ in ids]
        self.assertEqual({"first": 5, "second": 5}, {src: sources.count(src) for src in set(sources)})

    async def test_the_user_callback_publishes_what_it_saw(self):
        example = self.start("user_callback")
        log = await subscribed(NODE, "user_log")
        try:
            frame = pub("user", [{"name": "jw", "age": 110}], msg="添加了一个用户")
            frame["src"] = "agent"
            await log.send(frame)
            # the built-in Java callback answers on "user" too: the Python one sees that as well
            seen = await log.until(lambda m: m.get("topic") == "user_log" and "添加" in m.get("msg", ""))
            self.assertEqual(("user_callback", "seen: 添加了一个用户", [{"name": "jw", "age": 110}]),
                             (seen["src"], seen["msg"], seen["data"]))
            example.output.wait_for(r"user: 添加了一个用户", 5)
        finally:
            await log.close()


class EchoExampleTest(unittest.IsolatedAsyncioTestCase):
    """echo.py (the benchmark's pyecho) on a node without Java handlers answers as the built-in
    Java echo of the shared node does."""

    @classmethod
    def setUpClass(cls):
        cls.node = Node({"commands": ["echo"]}, flags=["--no-handlers"])

    @classmethod
    def tearDownClass(cls):
        cls.node.stop()

    async def echo(self, node, id):
        ws = await client(node)
        try:
            await ws.send(req("echo", {"t": 12345, "name": "jw"}, id=id, args=[1, "a"]))
            return await final(ws, id)
        finally:
            await ws.close()

    async def test_echo_answers_like_the_java_echo(self):
        self.assertEqual(404, (await self.echo(self.node, "none"))["code"])
        example = Example("echo", self.node.bridge)
        try:
            python = await self.echo(self.node, "e")
        finally:
            example.stop()
        java = await self.echo(shared_node(), "e")
        self.assertEqual(("python", "builtin"), (python.pop("src"), java.pop("src")))
        self.assertEqual(java, python)
        self.assertEqual({"args": [1, "a"], "kwargs": {"t": 12345, "name": "jw"}}, python["data"])


if __name__ == "__main__":
    unittest.main()
