"""Errors a handler raises, and those the bridge gives."""


class CommandError(Exception):
    """Raised by a handler: the client gets this code and message (and data, default [])."""

    def __init__(self, code, msg="", data=None):
        super().__init__(msg)
        self.code = int(code)
        self.msg = msg
        self.data = data


class BridgeRefused(ConnectionError):
    """The bridge closed the connection, saying why (bad token, garbage, ...)."""
