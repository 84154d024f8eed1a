"""One JSON line per call: hashes, the drift report, checks and usage, never prompt text unless
the tracker keeps text (then only the drift diff)."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import IO, Any, Callable, Union

logger = logging.getLogger("cachelint")

LogTarget = Union[str, os.PathLike, IO[str], Callable[[dict[str, Any]], None], None]


class JsonLinesSink:
    """Appends records to a file (opened lazily, line-buffered) or passes them to a callable."""

    def __init__(self, target: LogTarget) -> None:
        self._target = target
        self._file: IO[str] | None = None
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        if callable(self._target) and not hasattr(self._target, "write"):
            self._target(record)
            return
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        with self._lock:
            stream = self._stream()
            stream.write(line)
            stream.flush()

    def _stream(self) -> IO[str]:
        if hasattr(self._target, "write"):
            return self._target  # type: ignore[return-value]
        if self._file is None:
            path = Path(self._target)  # type: ignore[arg-type]
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")
        return self._file

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


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
