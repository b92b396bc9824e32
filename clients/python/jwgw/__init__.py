"""Command handlers and topic callbacks in Python for jw-gateway, through the node's TCP
event-bus bridge, in the style of the original jw_ws library::

    app = jwgw.Handlers("127.0.0.1:7000")

    @app.command("web")
    async def web(req):
        return 200, "success", []

    app.run()

Only the standard library (asyncio); Python 3.11+.
"""

from .errors import BridgeRefused, CommandError
from .handlers import Handlers
from .request import Request, Round

__all__ = ["BridgeRefused", "CommandError", "Handlers", "Request", "Round"]
