"""A bare bridge connection for the tests that send what jwgw never would."""

import asyncio
import json
import struct

from jwgw import frames


class RawBridge:

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, bridge, ssl=None):
        host, _, port = bridge.rpartition(":")
        return cls(*await asyncio.open_connection(host, int(port), ssl=ssl))

    def send(self, frame):
        self.writer.write(frames.encode(frame))

    def send_bytes(self, payload):
        self.writer.write(payload)

    def send_json_text(self, text):
        data = text.encode()
        self.writer.write(struct.pack(">I", len(data)) + data)

    async def recv(self, timeout=10):
        return await asyncio.wait_for(frames.read(self.reader), timeout)

    async def closed_by_server(self, timeout=10):
        """True once the server closed the connection (frames before the close are skipped)."""
        async def until_eof():
            while await self.reader.read(65536):
                pass
            return True
        return await asyncio.wait_for(until_eof(), timeout)

    async def ping(self):
        self.send({"type": "ping"})
        return await self.recv()

    def close(self):
        self.writer.close()


def dumps(frame):
    return json.dumps(frame)
