"""The original library's topic callback on "user":

    ws.registry_topic_callback("user", on_user)

Every publication on "user" (from clients or backend code on any node) is printed, and
acknowledged on the topic "user_log" with the user it saw.
Run: python3 clients/python/examples/user_callback.py --bridge 127.0.0.1:7000
"""

import sys
from pathlib import Path

# the package next to this directory, when it is not installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwgw  # noqa: E402

app = jwgw.Handlers.from_args(__doc__.splitlines()[0], src="user_callback")


@app.topic("user")
async def on_user(publication):
    print("user:", publication.get("msg"), publication.get("data"), flush=True)
    await app.publish("user_log", data=publication.get("data"), msg="seen: " + str(publication.get("msg")))


if __name__ == "__main__":
    app.run()
