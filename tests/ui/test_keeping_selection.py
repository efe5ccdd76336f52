"""A list refreshed (its rows replaced) keeps the selected record, found again by its id, and
its sort, filter and scroll position; a record that has gone leaves nothing selected."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from lscb_desktop.ui.table_model import Column, RecordTableModel, row_key
from lscb_desktop.ui.tables import make_proxy, make_table, select_where, selected


@dataclass(frozen=True)
class Row:
    id: int
    name: str


@dataclass(frozen=True)
class Member:
    membership_id: int
    person_id: int
    name: str


def rows(count: int, renamed: int | None = None) -> list[Row]:
    return [Row(i, f"name {i:03d}" + (" (new)" if i == renamed else "")) for i in range(count)]


def test_a_rows_key_is_its_kind_and_id():
    assert row_key(Row(7, "x")) == ("Row", "id", 7)
    assert row_key(Member(3, 9, "x")) == ("Member", "membership_id", 3)
    assert row_key(object()) is None


def test_refreshing_keeps_the_selected_record_sort_filter_and_scroll(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    model: RecordTableModel[Row] = RecordTableModel([Column("Name", lambda r: r.name)], holder)
    proxy = make_proxy(holder, model)
    table = make_table(holder, "test/rows")
    table.setModel(proxy)
    table.resize(300, 200)
    holder.show()
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows(300))
    proxy.setFilterFixedString("name 1")  # 100 to 199
    assert select_where(table, lambda row: row.id == 150)
    table.verticalScrollBar().setValue(30)

    model.set_rows([Row(999, "name 1999"), *rows(300, renamed=150)])  # one more, one renamed

    assert selected(table, Row) == Row(150, "name 150 (new)")
    assert len(table.selectionModel().selectedRows()) == 1
    assert proxy.rowCount() == 101
    assert proxy.index(0, 0).data() == "name 1999"  # still sorted, descending
    assert table.verticalScrollBar().value() == 30

    model.set_rows(rows(100))  # the selected record has gone (deleted elsewhere)
    assert selected(table, Row) is None
    assert not table.selectionModel().hasSelection()


def test_home_keeps_the_selected_line_across_a_refresh(window):
    home = window.home_tab
    view = home.lists["next_meetings"]
    model = home.models["next_meetings"]
    assert len(model.lines) > 2
    view.setCurrentIndex(model.index(2, 0))
    line = model.lines[2]
    home.refresh()
    assert view.currentIndex().row() == 2
    assert view.selectionModel().isSelected(view.currentIndex())
    assert home.selected_record() is not None
    assert model.lines[view.currentIndex().row()].record_id == line.record_id
