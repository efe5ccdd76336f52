"""The attendee table of the Record page: its columns (the agency on the day, the reason, the
timing, whether they count towards quorum), rows that do not count greyed with why, and the keys
that record a row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent

from lscb_desktop.models import AttendanceStatus, Role
from lscb_desktop.services.attendance import AttendeeRow
from lscb_desktop.ui.table_model import Column, Index, RecordTableModel

#: The keys that record a row, and Backspace and Delete, which clear it.
KEYS: dict[Qt.Key, AttendanceStatus | None] = {
    Qt.Key.Key_P: AttendanceStatus.PRESENT,
    Qt.Key.Key_A: AttendanceStatus.APOLOGIES,
    Qt.Key.Key_S: AttendanceStatus.SUBSTITUTE,
    Qt.Key.Key_X: AttendanceStatus.ABSENT,
    Qt.Key.Key_Backspace: None,
    Qt.Key.Key_Delete: None,
}
_PLAIN = (
    Qt.KeyboardModifier.NoModifier,
    Qt.KeyboardModifier.KeypadModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
#: Roles that never make a meeting quorate, in words for the tooltip.
_SUPPORTING = {Role.ADVISER.label, Role.BUSINESS_MANAGER.label, Role.ADMINISTRATOR.label}
NOT_COUNTED = QColor("#777777")


def _substitute(row: AttendeeRow) -> str:
    if row.substitute_agency:
        return f"{row.substitute} (from {row.substitute_agency})"
    return row.substitute


ATTENDEE_COLUMNS: list[Column[AttendeeRow]] = [
    Column("Name", lambda r: r.name, 150, sort=lambda r: r.sort_name.casefold()),
    Column("Agency on the day", lambda r: r.agency, 190),
    Column("Role", lambda r: r.role, 75),
    Column("Attendance", lambda r: r.status.label if r.status else "—", 85),
    Column("Attended for them", _substitute, 150),
    Column("Reason", lambda r: r.reason, 115),
    Column("Timing", lambda r: r.timing, 110),
    Column("For quorum", lambda r: "Yes" if r.counts else "No", 85),
    Column("Seat", lambda r: r.seat, 150),
    Column("Designated substitute", lambda r: r.designated_substitute, 160),
]


def why_not_counted(row: AttendeeRow) -> str:
    if row.role in _SUPPORTING:
        return f"{row.role}s support a meeting; they do not make it quorate."
    if row.role == Role.LAY_MEMBER.label:
        return "Lay members do not count towards the quorum (see File > Settings)."
    if not row.expected:
        return "Not a member of the group on the day."
    return f"{row.agency or 'Their agency'} does not count towards the quorum (see the Board tab)."


class AttendeeModel(RecordTableModel[AttendeeRow]):
    """Attendees; those who do not count towards the quorum are greyed, with why."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if not index.isValid():
            return value
        row = self.row_at(index.row())
        if row.counts or row.status is None:
            return value
        if role == Qt.ItemDataRole.ForegroundRole:
            return NOT_COUNTED
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{value}\nDoes not count towards the quorum: {why_not_counted(row)}"
        return value


class RecordingKeys(QObject):
    """P, A, S, X, Backspace and Delete on the attendee table. The table claims them before any
    shortcut of the window (Edit > Delete… has Delete), so they do what its tooltip says
    whichever shortcuts the menus hold; Enter goes to the selected attendee's details."""

    pressed = Signal(object)
    enter = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        plain = event.modifiers() in _PLAIN
        key = Qt.Key(event.key())
        if plain and key in KEYS:
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.pressed.emit(KEYS[key])
            return True
        if kind == QEvent.Type.KeyPress and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enter.emit()
            return True
        return False
