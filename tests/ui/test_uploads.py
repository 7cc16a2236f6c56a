"""The import page's uploaded files (ui/uploads.py): saved in upload order under
their base names in a private folder, removed when discarded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st

from analytics.ingest.file_limits import MAX_FILE_MB
from analytics.ingest.importer import DROP_SUFFIXES
from ui import uploads
from ui.frame import STYLE_UPLOADER_VI


@pytest.fixture(autouse=True)
def clean_state():
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    yield
    for key in list(st.session_state.keys()):
        del st.session_state[key]


@dataclass
class Upload:
    name: str
    data: bytes

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_are_saved_in_order_under_their_base_names():
    folder = uploads.save_uploads([Upload("b.csv", b"2"), Upload("../../etc/a.xlsx", b"1"), Upload("b.csv", b"3")])
    try:
        paths = uploads.upload_paths(folder)
        assert [p.name for p in paths] == ["b.csv", "a.xlsx", "b.csv"]
        assert [p.read_bytes() for p in paths] == [b"2", b"1", b"3"]
        assert all(folder in p.parents for p in paths)
    finally:
        uploads.discard_uploads()
    assert not Path(folder).exists()


def test_the_vietnamese_drop_box_names_every_type_and_the_limit_the_importer_takes():
    # Streamlit's own line is English; the Vietnamese one is written in CSS and
    # must not fall behind the importer (it said "XLSX, CSV" after .json came).
    assert "__MAX_MB__" not in STYLE_UPLOADER_VI and "__DROP_TYPES__" not in STYLE_UPLOADER_VI
    assert f"tối đa {MAX_FILE_MB}MB mỗi tệp · XLSX, CSV, JSON" in STYLE_UPLOADER_VI
    assert DROP_SUFFIXES == (".xlsx", ".csv", ".json")
