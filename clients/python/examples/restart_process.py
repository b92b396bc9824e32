"""Serves restart_process: the original library's restartProcess, which pushed its progress to
the client while it stopped and started a process. Each step is an intermediate response
(more: true) with data {"process", "step", "progress"}; the final one says it is done. A client's
cancel stops it between steps.

kwargs: name (the process), steps (default 4), interval_ms (default 200).
Run: python3 clients/python/examples/restart_process.py --bridge 127.0.0.1:7000
"""

import asyncio
import sys
from pathlib import Path

# the package next to this directory, when it is not installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwgw  # noqa: E402

app = jwgw.Handlers.from_args(__doc__.splitlines()[0], src="control")

STAGES = ["stopping", "stopped", "starting", "started"]


@app.command("restart_process")
async def restart_process(req):
    name = req.kwargs.get("name")
    steps = req.kwargs.get("steps", len(STAGES))
    interval = req.kwargs.get("interval_ms", 200) / 1000
    if not isinstance(name, str) or not isinstance(steps, int) or not 1 <= steps <= 1000:
        raise jwgw.CommandError(400, "kwargs: name (text) and steps (1 to 1000)")
    for step in range(1, steps + 1):
        await asyncio.sleep(interval)
        stage = STAGES[min(len(STAGES) - 1, (step - 1) * len(STAGES) // steps)]
        await req.progress({"process": name, "step": step, "progress": step * 100 // steps}, msg=stage)
    return 200, "success", {"process": name, "restarted": True}


if __name__ == "__main__":
    app.run()
