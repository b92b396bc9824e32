"""Starts a real node (the fat jar) with the bridge on, and Python handler processes (the
examples), for the tests; everything on 127.0.0.1, ports chosen by the system."""

import atexit
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
JAR = ROOT / "verticles" / "node" / "target" / "jw-gateway.jar"
EXAMPLES = ROOT / "clients" / "python" / "examples"
READY = re.compile(r"node ready on ws://[^:]+:(\d+)/")
BRIDGE = re.compile(r"bridge listening on [^:]+:(\d+)")


class Output:
    """A process's output read on a thread of its own, so its pipe never fills."""

    def __init__(self, process):
        self.process = process
        self.text = ""
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self._changed:
                self.text += line
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                match = re.search(pattern, self.text)
                if match:
                    return match
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not match):
                    raise AssertionError(f"no {pattern!r} within {timeout} s:\n{self.text}")
                self._changed.wait(min(left, 0.2))


class Node:
    """A node with the bridge on, `bridge` its config object (rules, token, ...); False: off."""

    def __init__(self, bridge=None, flags=(), env=None):
        environment = dict(os.environ, JWGW_SHUTDOWN_GRACE_MS="500")
        if bridge is not False:
            config = {"port": 0, "broadcast": True}
            config.update(bridge or {})
            environment["JWGW_BRIDGE"] = json.dumps(config)
        environment.update(env or {})
        self.process = subprocess.Popen(
            ["java", "-Xmx256m", "-jar", str(JAR), "--host", "127.0.0.1", "--port", "0", *flags],
            cwd=tempfile.mkdtemp(prefix="jw-python-test-"), env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = Output(self.process)
        self.port = int(self.output.wait_for(READY.pattern, 90).group(1))
        if bridge is not False:
            self.bridge = "127.0.0.1:" + self.output.wait_for(BRIDGE.pattern, 1).group(1)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Example:
    """python3 clients/python/examples/NAME.py --bridge HOST:PORT, ready once it says so."""

    def __init__(self, name, bridge, *args):
        self.process = subprocess.Popen(
            [sys.executable, str(EXAMPLES / (name + ".py")), "--bridge", bridge, *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = Output(self.process)
        self.output.wait_for(r"jwgw ready", 30)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(30)


# what the shared node lets bridge clients do
RULES = {"commands": ["py_*", "add_user", "restart_process"], "publish": ["py_*", "user_log"],
         "subscribe": ["py_*", "user"], "broadcast": True}
_shared = []


def shared_node():
    """One node for every test module that needs no special config, stopped at exit."""
    if not _shared:
        _shared.append(Node(RULES))
        atexit.register(_shared[0].stop)
    return _shared[0]
