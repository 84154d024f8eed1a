"""One JSON line per call: hashes, the drift report, checks and usage, never prompt text unless
the tracker keeps text (then only the drift diff, with secrets redacted)."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import IO, Any, Callable, Union

logger = logging.getLogger("cachelint")

LogTarget = Union[str, os.PathLike, IO[str], Callable[[dict[str, Any]], None], None]


class JsonLinesSink:
    """Appends records to a file or a text stream, or passes them to a callable.

    A file is opened on the first record and reopened, its directory recreated, when it is
    removed or replaced (log rotation, a deleted directory). When it cannot be written (a full or
    read-only disk, a path that is a directory), records are dropped and counted in `dropped`, one
    warning is logged, and the file is tried again at most once a second: the log never fails a
    call.
    """

    retry_seconds = 1.0

    def __init__(self, target: LogTarget) -> None:
        self._target = target
        self._file: IO[str] | None = None
        self._identity: tuple[int, int] | None = None  # (device, inode) of the open file
        self._failed_at: float | None = None  # monotonic time of the last failure, while failing
        self._lock = threading.Lock()
        self.dropped = 0

    def write(self, record: dict[str, Any]) -> None:
        if callable(self._target) and not hasattr(self._target, "write"):
            self._target(record)
            return
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        with self._lock:
            if hasattr(self._target, "write"):
                stream: IO[str] = self._target  # type: ignore[assignment]
                stream.write(line)
                stream.flush()
                return
            self._write_file(line)

    def _write_file(self, line: str) -> None:
        now = time.monotonic()
        if self._failed_at is not None and 0 <= now - self._failed_at < self.retry_seconds:
            self.dropped += 1
            return
        try:
            try:
                self._append(line)
            except OSError:
                self._close()
                self._append(line)  # once more: a directory deleted while being recreated, a rotation
        except OSError as exc:
            self._close()
            if self._failed_at is None:
                logger.warning("cachelint: cannot write the log %s (%s); calls go unlogged until it can be written again", self._target, exc)
            self._failed_at = now
            self.dropped += 1
            return
        if self._failed_at is not None:
            self._failed_at = None
            logger.warning("cachelint: the log %s is written again; %s record(s) were dropped so far", self._target, f"{self.dropped:,}")

    def _append(self, line: str) -> None:
        stream = self._open()
        stream.write(line)
        stream.flush()

    def _open(self) -> IO[str]:
        path = Path(self._target)  # type: ignore[arg-type]
        if self._file is not None:
            try:
                stat = os.stat(path)
                if (stat.st_dev, stat.st_ino) == self._identity:
                    return self._file
            except OSError:
                pass
            self._close()  # removed or replaced: lines written to the old file would be lost
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = path.open("a", encoding="utf-8")
        stat = os.fstat(stream.fileno())
        self._file, self._identity = stream, (stat.st_dev, stat.st_ino)
        return stream

    def _close(self) -> None:
        stream, self._file, self._identity = self._file, None, None
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass  # the buffered line that failed is dropped with it

    def close(self) -> None:
        with self._lock:
            self._close()


_env_sink: JsonLinesSink | None = None
_env_path: str | None = None
_env_lock = threading.Lock()


def sink_for(target: LogTarget) -> JsonLinesSink | None:
    """The sink for `log=`, else for $CACHELINT_LOG (shared by every tracker), else None."""
    global _env_sink, _env_path
    if target is not None:
        return target if isinstance(target, JsonLinesSink) else JsonLinesSink(target)
    path = os.environ.get("CACHELINT_LOG")
    if not path:
        return None
    with _env_lock:
        if _env_sink is None or _env_path != path:
            _env_sink, _env_path = JsonLinesSink(path), path
        return _env_sink
