"""A TCP proxy on 127.0.0.1 (a port of the system's choice) whose connections the test can cut,
as a network would: the bridge and the client each see theirs closed."""

import asyncio


class Proxy:

    def __init__(self, target):
        host, _, port = target.rpartition(":")
        self.target = (host, int(port))
        self.connections = set()
        self.server = None

    async def start(self):
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return "127.0.0.1:%d" % self.server.sockets[0].getsockname()[1]

    async def _accept(self, reader, writer):
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        pair = (writer, upstream_writer)
        self.connections.add(pair)
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))
        self.connections.discard(pair)

    @staticmethod
    async def _pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    def cut(self):
        for pair in list(self.connections):
            for writer in pair:
                writer.close()

    async def stop(self):
        self.cut()
        self.server.close()
