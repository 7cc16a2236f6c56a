"""Run file readers in a separate process with a memory limit.

A reader fed a hostile file can abort the process (calamine's failed
allocation calls ``abort()``), crash in native code, or take all the
memory. Run inside the Streamlit server or the inbox loop, that would end
every user's session or every later import. :func:`run_isolated` runs the
reader in a worker process instead:

* the worker limits its own address space (``RLIMIT_AS``,
  ``MOTCUA_IMPORT_MEMORY_MB``, default :data:`DEFAULT_MEMORY_MB`), so a
  runaway allocation fails there, not on the machine;
* an abort, a crash, a memory error or a call running past
  ``MOTCUA_IMPORT_TIMEOUT_S`` becomes :class:`WorkerCrashed` with the
  reason, and the next call starts a fresh worker;
* the worker is long-lived and reused (it keeps pandas, pyarrow and
  fastexcel imported), so an import pays the start-up once per process, not
  once per file. Calls are serialised through one worker.

It is a plain ``python -m analytics.ingest.reader_worker`` subprocess talking
length-prefixed pickles over its stdin/stdout, not ``multiprocessing``:
forking a threaded Streamlit server is unsafe, and ``spawn`` would re-run
the server's main script. The functions it runs must be importable by name
(module-level) and pure: path in, data out.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from analytics.ingest.arrow_memory import use_system_allocator

MEMORY_ENV = "MOTCUA_IMPORT_MEMORY_MB"
TIMEOUT_ENV = "MOTCUA_IMPORT_TIMEOUT_S"
DEFAULT_MEMORY_MB = 3072
DEFAULT_TIMEOUT_S = 900.0
_HEADER = struct.Struct("<Q")
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerCrashed(Exception):
    """The worker died, ran out of memory or time; the message says which (Vietnamese)."""


def memory_limit_mb() -> int:
    try:
        return max(256, int(os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_MB)))
    except ValueError:
        return DEFAULT_MEMORY_MB


def timeout_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)))
    except ValueError:
        return DEFAULT_TIMEOUT_S


def _describe_exit(code: int | None, memory_mb: int) -> str:
    if code is None:
        return "không rõ lý do"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"tín hiệu {-code}"
        if -code == signal.SIGABRT:
            return f"{name}, thường do không cấp được bộ nhớ trong giới hạn {memory_mb} MB"
        if -code == signal.SIGKILL:
            return f"{name}, có thể máy đã hết bộ nhớ"
        return name
    return f"mã thoát {code}"


class _Worker:
    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "analytics.ingest.reader_worker", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()

    def call(self, func: Callable[..., Any], args: tuple, kwargs: dict, timeout: float) -> Any:
        request = pickle.dumps((func, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        requests = self.proc.stdin
        assert requests is not None  # Popen(stdin=PIPE) always opens it
        try:
            requests.write(_HEADER.pack(len(request)) + request)
            requests.flush()
        except (BrokenPipeError, OSError):
            raise self._died() from None
        deadline = time.monotonic() + timeout
        size = _HEADER.unpack(self._read(_HEADER.size, deadline, timeout))[0]
        status, payload = pickle.loads(self._read(size, deadline, timeout))
        if status == "ok":
            return payload
        if status == "memory":
            raise WorkerCrashed(f"vượt giới hạn bộ nhớ {self.memory_mb} MB")
        raise payload

    def _read(self, size: int, deadline: float, timeout: float) -> bytes:
        replies = self.proc.stdout
        assert replies is not None  # Popen(stdout=PIPE) always opens it
        fd = replies.fileno()
        buffer = bytearray()
        while len(buffer) < size:
            remaining = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(0.0, remaining))[0] if remaining > 0 else []
            if not ready:
                self.stop()
                raise WorkerCrashed(f"quá {timeout:.0f} giây")
            chunk = os.read(fd, min(size - len(buffer), 1 << 24))
            if not chunk:
                raise self._died()
            buffer += chunk
        return bytes(buffer)

    def _died(self) -> WorkerCrashed:
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.stop()
            code = self.proc.returncode
        return WorkerCrashed(_describe_exit(code, self.memory_mb))


_lock = threading.Lock()
_worker: _Worker | None = None


def run_isolated(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` in the worker process; its result or its exception.

    Raises:
        WorkerCrashed: the worker died (abort, crash, killed), ran out of
            memory or ran past the time limit. A fresh worker serves the next call.
    """
    global _worker
    with _lock:
        memory_mb = memory_limit_mb()
        if _worker is not None and (not _worker.alive() or _worker.memory_mb != memory_mb):
            _worker.stop()  # dead, or the limit was changed: a new worker takes the new one
            _worker = None
        if _worker is None:
            _worker = _Worker(memory_mb)
        try:
            return _worker.call(func, args, kwargs, timeout_seconds())
        except WorkerCrashed:
            _worker.stop()
            _worker = None
            raise


def worker_pid() -> int | None:
    """The current worker's process id (None before the first call); for tests and logs."""
    return _worker.proc.pid if _worker is not None and _worker.alive() else None


# -- the worker side -----------------------------------------------------------------

def _read_frame(stream) -> bytes | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    return stream.read(_HEADER.unpack(header)[0])


def _serve(memory_mb: int) -> None:
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    use_system_allocator()
    # Replies go to a private copy of stdout; anything a library prints goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    while True:
        frame = _read_frame(requests)
        if frame is None:
            return  # the parent has gone
        try:
            func, args, kwargs = pickle.loads(frame)
            reply: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except MemoryError:
            reply = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            if not isinstance(exc, Exception):
                traceback.print_exc()  # a native panic: keep the detail in the log
            reply = ("error", exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        except Exception:  # noqa: BLE001 - an exception that does not pickle (a native panic)
            failure = reply[1]
            data = pickle.dumps(("error", RuntimeError(f"{type(failure).__name__}: {failure}")))
        del reply
        replies.write(_HEADER.pack(len(data)) + data)
        replies.flush()


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else memory_limit_mb())
