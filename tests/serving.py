"""Run the real API on a free loopback port, in a thread or as a `policykg serve` process."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import uvicorn

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            httpx.get(url + "/openapi.json", timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


class ThreadServer:
    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        wait_ready(self.url)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


class ProcessServer:
    """`policykg serve` in its own process (so its memory can be watched)."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--port", str(self.port)],
                                     env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(self.url, 60)
        return self

    def rss_kib(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def env_without_neo4j() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
