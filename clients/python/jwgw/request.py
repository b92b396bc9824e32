"""One invocation of a command: what the client sent and the ways to answer it, the Python
side of the gateway's handler protocol (PROTOCOL.md, "Event bus")."""

import asyncio
import json
import threading
import uuid

from . import answers

# the headers of the gateway's event-bus protocol (org.jwws.shared.internal.Headers)
CONNECTION = "jw-conn"
REQUEST = "jw-rid"
TIMEOUT = "jw-timeout"
PRINCIPAL = "jw-principal"
ANSWER = "jw-answer"
KIND = "jw-kind"
CONTROL = "jw-ctl"
END_REASON = "jw-end"


class Round:
    """The client's next req frame with this request's id (a dialogue round)."""

    def __init__(self, frame):
        self.frame = frame
        self.args = frame.get("args") or []
        self.kwargs = frame.get("kwargs") or {}
        self.src = frame.get("src")


class Request:
    """What a command handler receives. Answer by returning from the handler (or raising
    CommandError); before that, `await req.progress(data)` sends intermediate responses.

    `cancelled` turns true when the client cancels, goes away or the request times out; the
    handler learns it once the request is attached: after its first progress, next_round() or
    `await req.attach()`. An async handler is then cancelled (asyncio.CancelledError)."""

    def __init__(self, app, message):
        self._app = app
        self._reply = message.get("replyAddress")
        headers = message.get("headers") or {}
        self.frame = message.get("body") or {}
        self.command = self.frame.get("command")
        self.args = self.frame.get("args") or []
        self.kwargs = self.frame.get("kwargs") or {}
        self.src = self.frame.get("src")
        self.id = self.frame.get("id")
        self.connection = headers.get(CONNECTION)
        self.principal = json.loads(headers[PRINCIPAL]) if PRINCIPAL in headers else None
        self._rid = headers.get(REQUEST)
        self.cancelled = False
        self.end_reason = None
        self._open = True
        self._attached = None
        self._rounds = asyncio.Queue()
        self._ended = asyncio.Event()
        self.task = None

    @property
    def key(self):
        """The conversation's key in the control messages: connection and request key."""
        return f"{self.connection}/{self._rid}"

    @property
    def is_open(self):
        return self._open

    def progress(self, data=None, msg="progress", code=200):
        """An intermediate response (more: true). Await it in an async handler; in a sync one
        (in a worker thread) call it without await: it returns once sent."""
        if threading.get_ident() != self._app._loop_thread:
            asyncio.run_coroutine_threadsafe(self._progress(code, msg, data), self._app._loop).result()
            return None
        return self._progress(code, msg, data)

    async def _progress(self, code, msg, data):
        if not self._open or self.connection is None:
            return
        body = answers.answer(self._app.src, code, msg, data)
        await self.attach()
        self._app._send({"type": "send", "address": self.connection, "body": body,
                         "headers": {KIND: "more", REQUEST: self._rid, ANSWER: "1"}})
        await self._app._drain()

    async def attach(self):
        """Asks the gateway for this request's further rounds and end notice (once)."""
        if self._attached is not None or not self._open or self.connection is None or self._rid is None:
            return
        reply = "jwgw.attach." + str(uuid.uuid4())
        self._attached = self._app._expect(reply)
        self._app._conversations[self.key] = self
        self._app._send({"type": "send", "address": self.connection, "replyAddress": reply,
                         "headers": {KIND: "attach", REQUEST: self._rid, CONTROL: self._app.control}})
        self._attached.add_done_callback(self._attach_done)

    def _attach_done(self, future):
        if not future.cancelled() and future.exception() is not None:
            self._end(getattr(future.exception(), "message", None) or "CLIENT_GONE")

    async def next_round(self, timeout=None):
        """The client's next round; None once the request ended (see end_reason)."""
        await self.attach()
        if self._rounds.empty() and not self._open:
            return None
        getter = asyncio.ensure_future(self._rounds.get())
        ended = asyncio.ensure_future(self._ended.wait())
        done, _ = await asyncio.wait({getter, ended}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        ended.cancel()
        if getter in done:
            return Round(getter.result())
        getter.cancel()
        if not done:
            raise asyncio.TimeoutError("no round within " + str(timeout) + " s")
        return None

    def _round(self, frame):
        if self._open:
            self._rounds.put_nowait(frame)

    async def _settled(self):
        """Waits for the gateway's acknowledgement of the attach, if any. Across nodes the
        first message to a connection address waits for its route, a reply does not: without
        this a final answer could overtake the progress sent before it."""
        if self._attached is not None:
            await asyncio.wait({self._attached}, timeout=10)

    def _answer(self, body):
        """The final answer; later ones are dropped."""
        if not self._open:
            return
        self._open = False
        self._app._forget(self)
        self._app._send({"type": "send", "address": self._reply, "body": body, "headers": {ANSWER: "1"}})

    def _end(self, reason, tell_bridge=True):
        """The request ended without the handler's answer: cancel, client gone, timeout."""
        if not self._open:
            return
        self._open = False
        self.cancelled = True
        self.end_reason = reason
        self._ended.set()
        self._app._forget(self)
        if tell_bridge:
            # releases the gateway's reply handler now, as the Java handler API does
            self._app._send({"type": "send", "address": self._reply, "failureCode": 499, "message": reason})
        if self.task is not None and not self.task.done() and self._app._is_async(self.command):
            self.task.cancel()
