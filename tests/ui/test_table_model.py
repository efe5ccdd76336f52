"""The table model on its own, without a window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSortFilterProxyModel, Qt

from lscb_desktop.services.members import MemberRow
from lscb_desktop.ui.members_panel import MEMBER_COLUMNS
from lscb_desktop.ui.table_model import ROW_ROLE, SORT_ROLE, RecordTableModel


def member(name: str, sort_name: str, signed: dt.date | None) -> MemberRow:
    return MemberRow(
        membership_id=1,
        person_id=1,
        name=name,
        sort_name=sort_name,
        role="Member",
        position="",
        agency="NHS",
        job_title="",
        email="",
        phone="",
        substitute="",
        agreement_signed=signed,
        induction_done=5,
        start_date=dt.date(2020, 1, 1),
        end_date=None,
        version=1,
    )


def test_rows_show_british_dates_and_sort_by_name_not_title(qapp):
    model = RecordTableModel(MEMBER_COLUMNS)
    rows = [
        member("Dr Mohamed Hassan", "Mohamed Hassan", dt.date(2026, 2, 20)),
        member("Andrea Holder", "Andrea Holder", None),
        member("Sally Rowe", "Sally Rowe", dt.date(2025, 12, 1)),
    ]
    model.set_rows(rows)
    assert model.rowCount() == 3
    assert model.headerData(8, Qt.Orientation.Horizontal) == "Agreement signed"
    assert model.index(0, 8).data() == "20/02/2026"
    assert model.index(0, 9).data() == "5/8"
    assert model.index(0, 0).data(ROW_ROLE) is rows[0]
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(i, 0).data() for i in range(3)] == [
        "Andrea Holder",
        "Dr Mohamed Hassan",
        "Sally Rowe",
    ]
    proxy.sort(8, Qt.SortOrder.AscendingOrder)  # dates as dates, the blank first
    assert [proxy.index(i, 8).data() for i in range(3)] == ["", "01/12/2025", "20/02/2026"]
