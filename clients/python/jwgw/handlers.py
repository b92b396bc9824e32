"""Handlers: one connection to a node's TCP event-bus bridge, serving commands and topic
callbacks, reconnecting with backoff and registering everything again."""

import argparse
import asyncio
import inspect
import json
import logging
import random
import signal
import ssl as ssllib
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from . import answers, frames
from .errors import BridgeRefused
from .request import CONNECTION, END_REASON, KIND, REQUEST, Request

log = logging.getLogger("jwgw")

COMMAND_PREFIX = "cmd."
TOPIC_PREFIX = "topic."
BROADCAST = "jw.broadcast"


class Handlers:
    """Commands and topic callbacks served through one bridge connection.

    bridge: "HOST:PORT" of the node's bridge. token: its shared secret, when it asks for one.
    ssl: an ssl.SSLContext (or True for the system's trust) when the bridge serves TLS.
    src: the src of answers and publications. workers: threads for sync handlers."""

    def __init__(self, bridge="127.0.0.1:7000", *, token=None, ssl=None, src="python", workers=16,
                 backoff=(0.2, 5.0), grace=10.0):
        host, _, port = bridge.rpartition(":")
        self.host, self.port = host or "127.0.0.1", int(port)
        self.token = token
        self.ssl = ssllib.create_default_context() if ssl is True else ssl
        self.src = src
        self.backoff = backoff
        self.grace = grace
        self.control = "jw.ctl." + str(uuid.uuid4())
        self._commands = {}
        self._topics = {}
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jwgw")
        # open requests by reply address, attached ones by conversation key
        self._open = {}
        self._conversations = {}
        self._replies = {}
        self._waiting = {}
        self._callbacks = set()
        self._writer = None
        self._loop = None
        self._loop_thread = None
        self._ready = None
        self._closing = False
        self._runner = None
        self._refused = None

    # -- declaring -------------------------------------------------------------------------

    def command(self, name):
        """Serves command `name` with the decorated function: async def f(req) or def f(req)
        (run in a worker thread). It returns (code, msg, data), a dict with code/msg/data, or
        the data of a 200; or raises CommandError(code, msg)."""
        def register(fn):
            self._commands[name] = fn
            return fn
        return register

    def topic(self, name):
        """Calls the decorated function with every publication (a dict: the frame) on `name`."""
        def register(fn):
            self._topics.setdefault(name, []).append(fn)
            return fn
        return register

    # -- backend calls ---------------------------------------------------------------------

    def publish(self, topic, data=None, code=200, msg="", src=None):
        """Publishes {code, msg, data} on `topic` to its subscribers on every node. Await it on
        the event loop; from a sync handler's thread call it without await."""
        return self._on_loop({"type": "publish", "address": TOPIC_PREFIX + topic,
                              "body": answers.answer(src or self.src, code, msg, data)})

    def broadcast(self, envelope):
        """Writes `envelope` (a dict) to every client on every node (the bridge must allow it);
        awaited like publish()."""
        return self._on_loop({"type": "publish", "address": BROADCAST, "body": envelope})

    def _on_loop(self, frame):
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            asyncio.run_coroutine_threadsafe(self._send_when_ready(frame), self._loop).result()
            return None
        return self._send_when_ready(frame)

    # -- running ---------------------------------------------------------------------------

    async def start(self, timeout=None):
        """Connects and registers everything; returns once served (reconnects on its own later)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._ready = asyncio.Event()
        self._runner = asyncio.create_task(self._connect_forever())
        await asyncio.wait_for(self._ready.wait(), timeout)
        if self._refused is not None:
            raise BridgeRefused(str(self._refused))

    async def close(self):
        """Unregisters every command and topic, lets open requests finish (grace), disconnects."""
        self._closing = True
        if self._writer is not None and self._ready.is_set():
            addresses = self._addresses()[1:]
            waits = [self._expect("unregistered:" + a) for a in addresses]
            for address in addresses:
                self._send({"type": "unregister", "address": address})
            if waits:
                await asyncio.wait(waits, timeout=5)
            tasks = [r.task for r in self._open.values() if r.task is not None]
            if tasks:
                await asyncio.wait(tasks, timeout=self.grace)
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def run(self):
        """Serves until SIGINT or SIGTERM, then closes cleanly."""
        async def main():
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await self.start()
            print(f"jwgw ready: commands {sorted(self._commands)} topics {sorted(self._topics)}"
                  f" on {self.host}:{self.port}", flush=True)
            await stop.wait()
            await self.close()
        asyncio.run(main())

    @classmethod
    def from_args(cls, description, argv=None, **kwargs):
        """Handlers for an example script: --bridge HOST:PORT, --token, --tls-ca FILE."""
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--bridge", default="127.0.0.1:7000", help="the node's bridge, HOST:PORT")
        parser.add_argument("--token", help="the bridge's shared secret, when it asks for one")
        parser.add_argument("--tls-ca", help="PEM file to trust when the bridge serves TLS")
        parser.add_argument("--src", default=kwargs.pop("src", "python"), help="the src of answers and publications")
        args = parser.parse_args(argv)
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
        tls = ssllib.create_default_context(cafile=args.tls_ca) if args.tls_ca else None
        return cls(args.bridge, token=args.token, ssl=tls, src=args.src, **kwargs)

    # -- the connection --------------------------------------------------------------------

    async def _connect_forever(self):
        delay = self.backoff[0]
        while not self._closing:
            try:
                await self._connect_once()
                delay = self.backoff[0]
            except BridgeRefused as refused:
                log.error("bridge %s:%s refused: %s", self.host, self.port, refused)
            except (OSError, asyncio.IncompleteReadError, ValueError) as lost:
                log.warning("bridge %s:%s: %s", self.host, self.port, lost or type(lost).__name__)
            finally:
                self._disconnected()
            if self._closing:
                return
            await asyncio.sleep(delay * (1 + random.random() / 2))
            delay = min(delay * 2, self.backoff[1])

    async def _connect_once(self):
        reader, writer = await asyncio.open_connection(self.host, self.port, ssl=self.ssl)
        self._writer = writer
        try:
            writer.write(frames.encode({"type": "ping", "headers": {"token": self.token}} if self.token
                                       else {"type": "ping"}))
            first = await frames.read(reader)
            if first.get("type") != "pong":
                raise BridgeRefused(first.get("message") or str(first))
            addresses = self._addresses()
            pending = {a: self._expect("registered:" + a) for a in addresses}
            for address in addresses:
                self._send({"type": "register", "address": address})
            registered = asyncio.ensure_future(asyncio.gather(*pending.values()))
            registered.add_done_callback(self._registered)
            while True:
                frame = await frames.read(reader)
                try:
                    self._dispatch(frame)
                except Exception:  # one odd frame costs that frame, not the connection
                    log.warning("bridge frame not understood: %.200s", frame, exc_info=True)
        finally:
            writer.close()

    def _registered(self, all_registered):
        if not all_registered.cancelled():
            # a refused registration is start()'s error; what was permitted is served meanwhile
            self._refused = all_registered.exception()
            self._ready.set()

    def _addresses(self):
        return ([self.control] + [COMMAND_PREFIX + c for c in self._commands]
                + [TOPIC_PREFIX + t for t in self._topics])

    def _disconnected(self):
        self._writer = None
        if self._ready is not None:
            self._ready.clear()
        # the bridge failed these with 503 as the connection went: nothing to answer now
        for request in list(self._open.values()):
            request._end("CLIENT_GONE", tell_bridge=False)
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("bridge connection lost"))
        self._waiting.clear()

    def _dispatch(self, frame):
        kind = frame.get("type")
        address = frame.get("address")
        if kind in ("registered", "unregistered"):
            self._resolve(kind + ":" + address, None)
        elif kind == "message":
            self._message(address, frame)
        elif kind == "err":
            self._error(address, frame)

    def _message(self, address, frame):
        if address.startswith(COMMAND_PREFIX):
            request = Request(self, frame)
            self._open[request._reply] = request
            request.task = self._spawn(self._serve(request))
        elif address.startswith(TOPIC_PREFIX):
            publication = frame.get("body")
            if isinstance(publication, str):
                publication = json.loads(publication)
            for callback in self._topics.get(address[len(TOPIC_PREFIX):], []):
                self._spawn(self._call_back(callback, publication))
        elif address == self.control:
            headers = frame.get("headers") or {}
            request = self._conversations.get(f"{headers.get(CONNECTION)}/{headers.get(REQUEST)}")
            if request is None:
                return
            if headers.get(KIND) == "round":
                request._round(frame.get("body") or {})
            elif headers.get(KIND) == "end":
                request._end(headers.get(END_REASON) or "CANCELLED")
        else:
            self._resolve(address, frame.get("body"))

    def _error(self, address, frame):
        future = self._waiting.pop(address, None) or self._waiting.pop("registered:" + str(address), None)
        if future is not None and not future.done():
            failure = ConnectionError(frame.get("message"))
            failure.message = frame.get("message")
            future.set_exception(failure)
            return
        log.warning("bridge: %s %s%s", frame.get("message"), address or "", " (" + frame["reason"] + ")"
                    if frame.get("reason") else "")

    # -- serving ---------------------------------------------------------------------------

    def _is_async(self, command):
        return inspect.iscoroutinefunction(self._commands.get(command))

    async def _serve(self, request):
        handler = self._commands.get(request.command)
        try:
            if inspect.iscoroutinefunction(handler):
                result = await handler(request)
            else:
                result = await self._loop.run_in_executor(self._executor, handler, request)
            body = answers.from_result(self.src, result)
        except asyncio.CancelledError:
            return
        except Exception as error:  # a handler's failure is its client's 500, never this process's
            body = answers.from_error(self.src, request.command, error)
        await request._settled()
        request._answer(body)

    async def _call_back(self, callback, publication):
        try:
            if inspect.iscoroutinefunction(callback):
                await callback(publication)
            else:
                await self._loop.run_in_executor(self._executor, callback, publication)
        except Exception:
            log.warning("topic callback %s failed", getattr(callback, "__name__", callback), exc_info=True)

    # -- plumbing --------------------------------------------------------------------------

    def _spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self._callbacks.add(task)
        task.add_done_callback(self._callbacks.discard)
        return task

    def _forget(self, request):
        self._open.pop(request._reply, None)
        self._conversations.pop(request.key, None)

    def _expect(self, key):
        future = self._loop.create_future()
        # a lost connection fails every waiting future; not all of them have someone waiting
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._waiting[key] = future
        return future

    def _resolve(self, key, value):
        future = self._waiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(value)

    def _send(self, frame):
        if self._writer is not None:
            self._writer.write(frames.encode(frame))

    async def _drain(self):
        if self._writer is not None:
            try:
                await self._writer.drain()
            except ConnectionError:
                pass

    async def _send_when_ready(self, frame, timeout=10):
        if self._ready is None:
            raise RuntimeError("start() the handlers first")
        await asyncio.wait_for(self._ready.wait(), timeout)
        self._send(frame)
        await self._drain()
