"""The frames of Vert.x's TCP event-bus bridge: a 4-byte big-endian length, then that many
bytes of JSON (PROTOCOL.md, "TCP event-bus bridge")."""

import json
import struct

MAX_FRAME_SIZE = 16 * 1024 * 1024


def encode(frame):
    payload = json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return struct.pack(">I", len(payload)) + payload


async def read(reader, max_size=MAX_FRAME_SIZE):
    """The next frame as a dict; raises asyncio.IncompleteReadError when the stream ends."""
    (length,) = struct.unpack(">I", await reader.readexactly(4))
    if length > max_size:
        raise ValueError(f"frame of {length} bytes from the bridge")
    return json.loads(await reader.readexactly(length))
