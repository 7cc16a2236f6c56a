"""Files uploaded on the import page: saved to a private folder kept in the session
until the import is confirmed (or other files are chosen)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Sequence

import streamlit as st

# Where this session's uploads are (a folder path, in st.session_state).
UPLOAD_DIR_KEY = "imp_dir"


def save_uploads(files: Sequence[Any]) -> Path:
    """Write the uploaded files into a fresh private folder (kept in the session)."""
    discard_uploads()
    folder = Path(tempfile.mkdtemp(prefix="motcua-upload-"))
    st.session_state[UPLOAD_DIR_KEY] = str(folder)
    for i, f in enumerate(files):
        # Only the base name: an upload's name is never trusted as a path.
        name = Path(f.name).name or f"tep-{i + 1}"
        target = folder / f"{i + 1:02d}" / name
        target.parent.mkdir()
        target.write_bytes(f.getvalue())
    return folder


def upload_paths(folder: Path) -> list[Path]:
    """The saved files in upload order."""
    return [next(p.iterdir()) for p in sorted(folder.iterdir()) if p.is_dir() and any(p.iterdir())]


def discard_uploads() -> None:
    folder = st.session_state.pop(UPLOAD_DIR_KEY, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def saved_upload_paths() -> list[Path]:
    """This session's saved files in upload order (none once discarded), to
    plan them again after a layout correction."""
    folder = st.session_state.get(UPLOAD_DIR_KEY)
    return upload_paths(Path(folder)) if folder and Path(folder).is_dir() else []
