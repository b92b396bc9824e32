"""Serves echo as the node's built-in Java echo does: 200 "success" with data =
{"args": args, "kwargs": kwargs} of the request (the benchmark's pyecho scenario).

Run: python3 clients/python/examples/echo.py --bridge 127.0.0.1:7000
"""

import sys
from pathlib import Path

# the package next to this directory, when it is not installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwgw  # noqa: E402

app = jwgw.Handlers.from_args(__doc__.splitlines()[0])


@app.command("echo")
async def echo(req):
    return 200, "success", {"args": req.args, "kwargs": req.kwargs}


if __name__ == "__main__":
    app.run()
