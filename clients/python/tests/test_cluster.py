"""Two clustered nodes: Python on node A's bridge (a token, TLS when openssl is there) serves
WebSocket clients of node B and publishes to subscribers on both."""

import asyncio
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import jwgw
from nodeprocess import Node
from rawbridge import RawBridge
from support import client, final, req, subscribed

TOKEN = "a shared secret for the bridge of node A"
NODES = []
TLS = {}


def certificate():
    """A self-signed certificate for 127.0.0.1, or None without openssl."""
    if shutil.which("openssl") is None:
        return None
    directory = Path(tempfile.mkdtemp(prefix="jw-python-tls-"))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(directory / "key.pem"),
                    "-out", str(directory / "cert.pem")], check=True, capture_output=True)
    return directory


def setUpModule():
    cluster = ["--cluster", "--cluster-name", f"jw-python-test-{os.getpid()}-{time.time_ns()}"]
    bridge = {"token": TOKEN}
    directory = certificate()
    if directory is not None:
        bridge.update(tlsCertPath=str(directory / "cert.pem"), tlsKeyPath=str(directory / "key.pem"))
        TLS["context"] = ssl.create_default_context(cafile=str(directory / "cert.pem"))
    # one after the other: the second joins the cluster the first formed
    NODES.append(Node(bridge, flags=cluster))
    NODES.append(Node(False, flags=cluster))


def tearDownModule():
    for node in NODES:
        node.stop()


class ClusterTest(unittest.IsolatedAsyncioTestCase):

    async def test_python_serves_and_publishes_across_the_cluster(self):
        a, b = NODES
        app = jwgw.Handlers(a.bridge, token=TOKEN, ssl=TLS.get("context"), src="py")

        @app.command("py_where")
        async def where(r):
            await r.progress("on its way")
            return 200, "success", {"kwargs": r.kwargs}

        await app.start(timeout=20)
        on_a = await subscribed(a, "py_cluster")
        on_b = await subscribed(b, "py_cluster")
        ws = await client(b)
        try:
            await ws.send(req("py_where", {"from": "b"}, id="w"))
            first = await ws.recv()
            self.assertEqual(("on its way", True), (first["data"], first.get("more")), first)
            self.assertEqual({"kwargs": {"from": "b"}}, (await final(ws, "w"))["data"])
            await app.publish("py_cluster", data={"n": 1}, msg="to both nodes")
            for subscriber in (on_a, on_b):
                publication = await subscriber.until(lambda m: m.get("action") == "pub")
                self.assertEqual(("py_cluster", "to both nodes", {"n": 1}), (publication["topic"], publication["msg"], publication["data"]))
        finally:
            for socket in (ws, on_a, on_b):
                await socket.close()
            await app.close()

    async def test_without_the_token_the_bridge_says_unauthorized_and_closes(self):
        for headers in ({}, {"token": "wrong"}):
            bridge = await RawBridge.connect(NODES[0].bridge, ssl=TLS.get("context"))
            bridge.send({"type": "ping", "headers": headers})
            self.assertEqual({"type": "err", "message": "unauthorized"}, await bridge.recv())
            self.assertTrue(await bridge.closed_by_server())
        app = jwgw.Handlers(NODES[0].bridge, token="wrong", ssl=TLS.get("context"), backoff=(0.05, 0.1))
        with self.assertRaises(asyncio.TimeoutError):
            await app.start(timeout=1)
        await app.close()

    @unittest.skipUnless(shutil.which("openssl"), "no openssl to make a certificate with")
    async def test_plain_tcp_gets_nothing_from_a_tls_bridge(self):
        bridge = await RawBridge.connect(NODES[0].bridge)
        bridge.send({"type": "ping", "headers": {"token": TOKEN}})
        with self.assertRaises((asyncio.IncompleteReadError, ConnectionError)):
            await bridge.recv()


if __name__ == "__main__":
    unittest.main()
