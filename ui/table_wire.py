"""What Streamlit sends for a prepared table, made once per table.

``st.dataframe`` and ``st.table`` turn a pandas Styler into two Arrow
payloads on every run: the data (kept numeric and datetime, so a click on a
header sorts numbers as numbers) and the display text of every cell. For the
latter Streamlit reads the Styler's ``_translate`` output, a dict per cell
("row3_col2", its text), parses every cell id back with a regular
expression and writes the text into a string copy of the data; then both
frames are serialised to Arrow IPC. For the tables of :mod:`ui.widgets` this
was a quarter of a page run's CPU, paid again on every run for the same
shared, never-changed table.

A Styler made by ``ui.widgets.screen_styler`` carries its display text
(one frame, every cell, the strings of ``analytics.locale.fmt``) and the
selectors of its bold rows. :func:`install` puts a thin wrapper in front of
Streamlit's ``marshall_styler`` (as ``st.dataframe`` and ``st.table`` call
it) and of ``dataframe_util.convert_pandas_df_to_arrow_bytes``:

* for a Styler that carries its text, the Styler part of the message
  (uuid, caption, CSS, display text as Arrow) is made once, through
  Streamlit's own helpers for the uuid, caption and CSS, and copied into
  every later message;
* the Arrow bytes of a registered table's data (:func:`remember_data`) are
  made once and kept while the table lives (a weak reference: a table that
  is no longer cached is forgotten with it);
* anything else goes to Streamlit's own functions unchanged.

The message is the same as Streamlit's own path sends
(tests/ui/test_table_format.py marshals both and compares the bytes). The
wrappers depend on private Streamlit functions of the pinned version
(requirements.txt): a change there fails those tests, not a user's page.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from streamlit import dataframe_util
from streamlit.elements import arrow as st_arrow
from streamlit.elements import table as st_table
from streamlit.elements.lib import pandas_styler_utils as styler_utils
from streamlit.proto.ArrowData_pb2 import ArrowData

# The attribute of a Styler that carries its prepared message parts.
_WIRE = "_motcua_wire"

_streamlit_marshall_styler = styler_utils.marshall_styler
_streamlit_arrow_bytes = dataframe_util.convert_pandas_df_to_arrow_bytes


@dataclass
class _Wire:
    """A Styler's display text and bold selectors, and the message part made from them."""

    texts: pd.DataFrame
    bold_selectors: list[str]
    styler_part: ArrowData | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def attach(styler: Any, texts: pd.DataFrame, bold_selectors: list[str]) -> None:
    """Give ``styler`` its display text (a frame of strings with the
    Styler data's shape, index and column names) and the ``rowR_colC``
    selectors of its bold cells; its data are registered too."""
    setattr(styler, _WIRE, _Wire(texts, bold_selectors))
    remember_data(styler.data)


def _styler_part(styler: Any, wire: _Wire, default_uuid: str) -> ArrowData:
    with wire.lock:
        if wire.styler_part is None:
            part = ArrowData()
            styler_utils._marshall_uuid(part, styler, default_uuid)
            styler_utils._marshall_caption(part, styler)
            cellstyle = ([{"props": [("font-weight", "bold")], "selectors": wire.bold_selectors}]
                         if wire.bold_selectors else [])
            styler_utils._marshall_styles(part, styler, {"cellstyle": cellstyle, "table_styles": []})
            # Streamlit starts from the data as strings and writes each
            # cell's text over it: the text frame, as strings, is that frame.
            part.styler.display_values = _streamlit_arrow_bytes(wire.texts.astype(str))
            wire.styler_part = part
        return wire.styler_part


def marshall_styler(proto: ArrowData, styler: Any, default_uuid: str) -> None:
    """Streamlit's ``marshall_styler``, with the Styler part made once for a
    Styler that carries its text."""
    wire = getattr(styler, _WIRE, None)
    if wire is None:
        _streamlit_marshall_styler(proto, styler, default_uuid)
        return
    proto.styler.CopyFrom(_styler_part(styler, wire, default_uuid).styler)


# id(frame) -> (weak reference to the frame, its Arrow bytes or None until made)
_DATA: dict[int, tuple[weakref.ref, bytes | None]] = {}
_DATA_LOCK = threading.Lock()


def remember_data(df: pd.DataFrame) -> None:
    """Keep the Arrow bytes of ``df`` once they are made, while ``df`` lives.

    Only for frames that are never changed (the shared prepared tables)."""
    key = id(df)

    def forget(_ref: weakref.ref, key: int = key) -> None:
        with _DATA_LOCK:
            entry = _DATA.get(key)
            if entry is not None and entry[0] is _ref:
                del _DATA[key]

    with _DATA_LOCK:
        _DATA[key] = (weakref.ref(df, forget), None)


def convert_pandas_df_to_arrow_bytes(df: Any, *, downcast_large_types: bool = False) -> bytes:
    """Streamlit's ``convert_pandas_df_to_arrow_bytes``, made once for a registered frame."""
    entry = _DATA.get(id(df))
    if entry is None or downcast_large_types or entry[0]() is not df:
        return _streamlit_arrow_bytes(df, downcast_large_types=downcast_large_types)
    if entry[1] is not None:
        return entry[1]
    data = _streamlit_arrow_bytes(df)
    with _DATA_LOCK:
        if _DATA.get(id(df)) is entry:
            _DATA[id(df)] = (entry[0], data)
    return data


def install() -> None:
    """Put the wrappers where ``st.dataframe`` and ``st.table`` look them up
    (idempotent)."""
    st_arrow.marshall_styler = marshall_styler
    st_table.marshall_styler = marshall_styler
    dataframe_util.convert_pandas_df_to_arrow_bytes = convert_pandas_df_to_arrow_bytes
