"""Where the prompt keeps its history: a private file in the user's data directory."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

ENV = "SPAQ_HISTORY"


def history_path(option: str | os.PathLike | None, env: Mapping[str, str]) -> Path:
    """`--history PATH`, else `$SPAQ_HISTORY`, else `<user data dir>/spaq/history`."""
    if option:
        return Path(option).expanduser()
    if env.get(ENV):
        return Path(env[ENV]).expanduser()
    import platformdirs
    return platformdirs.user_data_path("spaq", appauthor=False) / "history"


def prepare(path: Path) -> Path:
    """Create the file (and its directory) readable by the user alone; queries may be private."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    return path
