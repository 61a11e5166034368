"""Files a home keeps to make the next process faster (a word list, built tables, a drug map).

They are derived data, never a store of record: writing one is best-effort and atomic (another
process reads the old file or the new one, never a part), and a folder that cannot be written only
costs the speed-up.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def keep(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; False (and nothing written) when the folder is not writable."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True
