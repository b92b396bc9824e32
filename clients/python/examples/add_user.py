"""Serves add_user, answering 200 with data = [kwargs]: the original library's

    def add_user(**kwargs): return {"code": 200, "msg": "success", "data": [kwargs]}
    ws.add_command_handle("add_user", add_user)

Run: python3 clients/python/examples/add_user.py --bridge 127.0.0.1:7000
"""

import sys
from pathlib import Path

# the package next to this directory, when it is not installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwgw  # noqa: E402

app = jwgw.Handlers.from_args(__doc__.splitlines()[0], src="add_user")


@app.command("add_user")
async def add_user(req):
    return 200, "success", [req.kwargs]


if __name__ == "__main__":
    app.run()
