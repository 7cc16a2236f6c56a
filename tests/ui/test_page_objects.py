"""ui.frame.page_object: one st.Page made per arguments, and a copy for each
run, since st.navigation marks the page it runs on the object itself."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    from pathlib import Path

    import streamlit as st

    from ui import frame

    frame._PAGE_OBJECTS.clear()
    path = Path(frame.ROOT) / "pages" / "dung_han.py"
    made = []
    real = st.Page

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    st.Page = counting
    try:
        first = frame.page_object(path, title="Đúng hạn", icon=":material/schedule:", url_path="dung_han")
        second = frame.page_object(path, title="Đúng hạn", icon=":material/schedule:", url_path="dung_han")
        english = frame.page_object(path, title="On time", icon=":material/schedule:", url_path="dung_han")
    finally:
        st.Page = real
    first._can_be_called = True  # what st.navigation does to the page it runs
    st.write(f"made={len(made)}")
    st.write(f"distinct={first is not second}")
    st.write(f"same={first.url_path == second.url_path and first.title == second.title}")
    st.write(f"copy_untouched={second._can_be_called is False}")
    st.write(f"english={english.title}")


def test_a_page_is_made_once_per_arguments_and_copied_per_run():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert shown == ["made=2", "distinct=True", "same=True", "copy_untouched=True", "english=On time"]
