"""A minimal WebSocket client (RFC 6455, text frames) on asyncio for the tests: the standard
library has none. Client frames are masked; the server's are read whole (it does not fragment
its messages)."""

import asyncio
import base64
import json
import os
import struct


class WebSocket:

    def __init__(self, reader, writer):
        self._reader = reader
        self._writer = writer

    @classmethod
    async def connect(cls, host, port, path="/ws"):
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError("upgrade refused: " + head.decode(errors="replace"))
        return cls(reader, writer)

    async def send(self, frame):
        self._write(0x1, json.dumps(frame).encode())
        await self._writer.drain()

    async def recv(self, timeout=10):
        """The next text message as JSON; answers pings on the way."""
        while True:
            opcode, payload = await asyncio.wait_for(self._frame(), timeout)
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x9:
                self._write(0xA, payload)
            elif opcode == 0x8:
                raise ConnectionError("closed by the server")

    async def until(self, predicate, timeout=10):
        """The first message for which predicate holds, skipping others."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            message = await self.recv(max(0.01, deadline - loop.time()))
            if predicate(message):
                return message

    async def close(self):
        self._write(0x8, struct.pack(">H", 1000))
        self._writer.close()

    def _write(self, opcode, payload):
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            head = struct.pack(">BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            head = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            head = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, length)
        self._writer.write(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    async def _frame(self):
        first, second = await self._reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", await self._reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", await self._reader.readexactly(8))
        return first & 0x0F, await self._reader.readexactly(length)
