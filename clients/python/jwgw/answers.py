"""What a handler returns, as the {src, code, msg, data} answer of the handler API."""

import json
import logging

from .errors import CommandError

log = logging.getLogger("jwgw")

REASONS = {200: "success", 400: "bad request", 403: "forbidden", 404: "not found", 499: "cancelled",
           500: "handler failed", 503: "unavailable", 504: "timeout"}


def answer(src, code, msg=None, data=None):
    body = {"code": int(code), "msg": REASONS.get(int(code), "") if msg is None else str(msg),
            "data": [] if data is None else data}
    if src is not None:
        body["src"] = src
    # data that is no JSON value fails here, in the handler's process, not on the way
    json.dumps(body)
    return body


def from_result(src, result):
    """(code, msg, data), a dict with "code" (the library's response shape), else the data of a 200."""
    if isinstance(result, tuple):
        if len(result) != 3:
            raise TypeError("a handler returns (code, msg, data), not a tuple of " + str(len(result)))
        return answer(src, *result)
    if isinstance(result, dict) and "code" in result:
        return answer(src, result["code"], result.get("msg"), result.get("data"))
    return answer(src, 200, "success", result)


def from_error(src, command, error):
    if isinstance(error, CommandError):
        return answer(src, error.code, error.msg, error.data)
    log.warning("command %s failed", command, exc_info=error)
    return answer(src, 500)
