"""The Audits tab (the audit programme by period) and the Case reviews tab (the register and the
statutory clock); each with the selected record's action plan beneath."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.models import ReviewType
from lscb_desktop.services.actions import ActionRow, action_rows, mark_done
from lscb_desktop.services.audits import AuditRow, audit_years, programme
from lscb_desktop.services.history import Subject, subject
from lscb_desktop.services.reviews import CaseReviewRow, StepRow, StepState, case_review_rows
from lscb_desktop.services.settings import load_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.documents import PDF, save_document
from lscb_desktop.ui.meeting_dialogs import ActionDialog, ask
from lscb_desktop.ui.record_tab import RecordTab
from lscb_desktop.ui.review_dialogs import AuditDialog, CaseReviewDialog
from lscb_desktop.ui.table_model import Column, RecordTableModel
from lscb_desktop.ui.tables import link_search, make_proxy, make_table, select_where, selected

ERROR_STYLE = "color: #8a1c14; font-weight: bold;"

AUDIT_COLUMNS: list[Column[AuditRow]] = [
    Column("Quarter", lambda r: f"Q{r.quarter}" if r.quarter else "—", 60),
    Column("Audit", lambda r: r.title, 280),
    Column("Theme", lambda r: r.theme, 120),
    Column("Core", lambda r: "Core" if r.core else "Board request", 95),
    Column("Priority", lambda r: r.priority, 190),
    Column("Lead", lambda r: r.lead, 120),
    Column("Agencies", lambda r: len(r.agencies), 65),
    Column("Cases", lambda r: r.cases_sampled, 55),
    Column("Status", lambda r: r.status.label, 85),
    Column("Compliance", lambda r: r.compliance, 130),
    Column("Escalated to SAG", lambda r: r.escalated_to_sag_on, 110),
    Column("Assurance asked", lambda r: r.assurance_requested_on, 110),
]

PLAN_COLUMNS: list[Column[ActionRow]] = [
    Column("Action", lambda r: r.description, 420),
    Column("Owner", lambda r: r.owner, 160),
    Column("Due", lambda r: r.due_date, 90),
    Column("Status", lambda r: r.status.label, 80),
    Column("Done", lambda r: r.done_date, 90),
]


def _next(row: CaseReviewRow) -> str:
    step = row.next_step
    return step.label if step else "—"


REVIEW_COLUMNS: list[Column[CaseReviewRow]] = [
    Column("Reference", lambda r: r.reference, 120),
    Column("Type", lambda r: r.review_type.label, 250),
    Column("Referring agency", lambda r: r.referring_agency, 240),
    Column("Decision", lambda r: r.decision.label if r.decision else "—", 130),
    Column("Next step", _next, 210),
    Column("Due", lambda r: r.next_step.due if r.next_step else None, 90),
    Column("State", lambda r: r.state.value, 100),
]

STEP_COLUMNS: list[Column[StepRow]] = [
    Column("Step", lambda r: r.label, 230),
    Column("Due", lambda r: r.due, 95),
    Column("Done", lambda r: r.done, 95),
    Column("State", lambda r: r.state.value, 110),
]


def _button(text: str, slot: object, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.clicked.connect(slot)
    return button


class ActionPlan(QWidget):
    """The actions of one audit or case review."""

    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.audit_id: int | None = None
        self.case_review_id: int | None = None
        self.model: RecordTableModel[ActionRow] = RecordTableModel(PLAN_COLUMNS, self)
        self.table = make_table(self, "plans/actions")
        self.table.setModel(make_proxy(self, self.model))
        self.table.setAccessibleName("Action plan")
        for index, column in enumerate(PLAN_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_action)
        self.heading = QLabel("<b>Action plan</b>", self)
        row = QHBoxLayout()
        row.addWidget(self.heading)
        row.addStretch(1)
        for text, slot in (
            ("Add ac&tion…", self.new_action),
            ("Edit action…", self.edit_action),
            ("Mark done", self.done),
        ):
            row.addWidget(_button(text, slot, self))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table)

    def show_for(self, *, audit_id: int | None = None, case_review_id: int | None = None) -> None:
        self.audit_id, self.case_review_id = audit_id, case_review_id
        self.refresh()

    def refresh(self) -> None:
        if self.audit_id is None and self.case_review_id is None:
            self.model.set_rows([])
            return
        self.model.set_rows(
            action_rows(self.database, audit_id=self.audit_id, case_review_id=self.case_review_id)
        )

    def new_action(self) -> None:
        if self.audit_id is None and self.case_review_id is None:
            return
        dialog = ActionDialog(
            self.database, audit_id=self.audit_id, case_review_id=self.case_review_id, parent=self
        )
        if ask(dialog):
            self.refresh()
            self.status.emit("Added an action to the plan")

    def edit_action(self) -> None:
        row = selected(self.table, ActionRow)
        if row is not None and ask(ActionDialog(self.database, row.id, parent=self)):
            self.refresh()

    def selected_record(self) -> Subject | None:
        """The selected action, when the plan's list is in use."""
        row = selected(self.table, ActionRow)
        if row is None or not self.table.hasFocus():
            return None
        return subject(f"Action: {row.description[:60]}", ("action", row.id))

    def done(self) -> None:
        row = selected(self.table, ActionRow)
        if row is not None:
            mark_done(self.database, row.id)
            self.refresh()


class AuditsTab(RecordTab):
    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.year = QComboBox(self)
        self.year.setAccessibleName("Annual period")
        self.warning = QLabel(self)
        self.warning.setStyleSheet(ERROR_STYLE)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search audits (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search audits")
        self.model: RecordTableModel[AuditRow] = RecordTableModel(AUDIT_COLUMNS, self)
        self.proxy = make_proxy(self, self.model)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = make_table(self, "audits/list")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Audits")
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for index, column in enumerate(AUDIT_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_record)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.plan = ActionPlan(database, self)
        self.plan.status.connect(self.status)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period"))
        top.addWidget(self.year)
        top.addWidget(self.warning, 1)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&New audit…", self.new_record),
            ("&Edit audit…", self.edit_record),
            ("&Letter of authority…", self.letter),
        ):
            buttons.addWidget(_button(text, slot, self))
        buttons.addStretch(1)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        upper_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("audits/splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.plan)
        self.splitter.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._fill_years()
        self.year.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _fill_years(self) -> None:
        start_month = load_settings(self.database).annual_period_start_month
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        years = audit_years(self.database)
        for year in years:
            label = f"{year}-{(year + 1) % 100:02d}" if start_month != 1 else str(year)
            self.year.addItem(label, year)
        index = self.year.findData(current) if current is not None else 1
        self.year.setCurrentIndex(max(0, min(index, len(years) - 1)))
        self.year.blockSignals(False)

    def refresh(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        chosen = selected(self.table, AuditRow)
        plan = programme(self.database, year)
        self.model.set_rows(plan.audits)
        self.warning.setText(plan.warning)
        self.warning.setVisible(bool(plan.warning))
        if chosen is not None:
            self.select_audit(chosen.id)
        self._selected()

    def select_audit(self, audit_id: int) -> bool:
        return select_where(self.table, lambda row: row.id == audit_id)

    def show_audit(self, audit_id: int, year: int) -> None:
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.select_audit(audit_id)

    def _selected(self, *_args: object) -> None:
        row = selected(self.table, AuditRow)
        self.plan.heading.setText(
            f"<b>Action plan</b> — {row.title}" if row else "<b>Action plan</b>"
        )
        self.plan.show_for(audit_id=row.id if row else None)

    def new_record(self) -> None:
        dialog = AuditDialog(self.database, year=self.year.currentData(), parent=self)
        if ask(dialog) and dialog.saved_id is not None:
            self._fill_years()
            self.year.setCurrentIndex(max(0, self.year.findData(dialog.value().period_start_year)))
            self.refresh()
            self.select_audit(dialog.saved_id)
            self.status.emit("Added an audit")

    def edit_record(self) -> None:
        row = selected(self.table, AuditRow)
        if row is not None and ask(AuditDialog(self.database, row.id, parent=self)):
            self.refresh()
            self.status.emit("Saved the audit")

    def letter(self) -> None:
        from lscb_desktop.services import exports  # noqa: PLC0415

        row = selected(self.table, AuditRow)
        if row is None:
            self.status.emit("Select an audit first")
            return
        save_document(
            self,
            "authority",
            "Save the letter of authority",
            f"Letter of authority {row.title}.pdf",
            PDF,
            build=lambda target: exports.export_authority(self.database, row.id, target),
        )

    #: Audits are closed (their status), not removed: their history is part of the programme.
    nothing_removed = "Audits are not deleted: set the audit's status instead"

    def tables(self) -> list[QTableView]:
        return [self.table, self.plan.table]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the action in the action plan when it is in use,
        otherwise the selected audit."""
        action = self.plan.selected_record()
        if action is not None:
            return action
        row = selected(self.table, AuditRow)
        return subject(f"Audit: {row.title}", ("audit", row.id)) if row is not None else None


class CaseReviewsTab(RecordTab):
    status = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.heading = QLabel(self)
        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName("Type")
        self.type_filter.addItem("Any type", None)
        for review_type in ReviewType:
            self.type_filter.addItem(review_type.label, review_type)
        self.state_filter = QComboBox(self)
        self.state_filter.setAccessibleName("State")
        self.state_filter.addItem("Any state", None)
        for state in (
            StepState.OVERDUE,
            StepState.DUE_SOON,
            StepState.NOT_DUE,
            StepState.DONE_LATE,
        ):
            self.state_filter.addItem(f"A step {state.value}", state)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search reviews (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search reviews")
        self.alert = QLabel(self)
        self.alert.setStyleSheet(ERROR_STYLE)
        self.model: RecordTableModel[CaseReviewRow] = RecordTableModel(
            REVIEW_COLUMNS,
            self,
            warn=lambda r: r.state is StepState.OVERDUE,
            caution=lambda r: r.state is StepState.DUE_SOON,
        )
        self.proxy = make_proxy(self, self.model)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = make_table(self, "reviews/list")
        link_search(self.search, self.table)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Case reviews")
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for index, column in enumerate(REVIEW_COLUMNS):
            self.table.setColumnWidth(index, column.width)
        self.table.doubleClicked.connect(self.edit_record)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.steps_model: RecordTableModel[StepRow] = RecordTableModel(
            STEP_COLUMNS,
            self,
            warn=lambda r: r.state is StepState.OVERDUE,
            caution=lambda r: r.state is StepState.DUE_SOON,
        )
        self.steps = make_table(self, "reviews/steps")
        self.steps.setModel(self.steps_model)
        self.steps.setSortingEnabled(False)
        self.steps.setAccessibleName("Steps")
        for index, step_column in enumerate(STEP_COLUMNS):
            self.steps.setColumnWidth(index, step_column.width)
        self.plan = ActionPlan(database, self)
        self.plan.status.connect(self.status)
        for combo in (self.type_filter, self.state_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self._layout()
        self.set_terms(load_settings(database).term_review)
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.type_filter)
        top.addWidget(self.state_filter)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for text, slot in (("&New referral…", self.new_record), ("&Edit…", self.edit_record)):
            buttons.addWidget(_button(text, slot, self))
        buttons.addWidget(self.alert, 1)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.heading)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        upper_layout.addLayout(buttons)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.setObjectName("reviews/lower")
        lower.addWidget(self.steps)
        lower.addWidget(self.plan)
        lower.setSizes([540, 700])
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("reviews/splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([300, 380])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def set_terms(self, term_review: str) -> None:
        self.heading.setText(
            f"<b>Referrals and {term_review}s</b> — each known only by its anonymised reference"
        )

    def refresh(self) -> None:
        chosen = selected(self.table, CaseReviewRow)
        rows = case_review_rows(
            self.database,
            review_type=self.type_filter.currentData(),
            state=self.state_filter.currentData(),
        )
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows for s in r.steps if s.state is StepState.OVERDUE)
        soon = sum(1 for r in rows for s in r.steps if s.state is StepState.DUE_SOON)
        parts = [f"{overdue} step(s) overdue"] if overdue else []
        parts += [f"{soon} due within two working days"] if soon else []
        self.alert.setText("  ·  ".join(parts))
        if chosen is not None:
            self.select_review(chosen.id)
        elif rows:
            self.table.selectRow(0)
        self._selected()

    def select_review(self, review_id: int) -> bool:
        return select_where(self.table, lambda row: row.id == review_id)

    def _selected(self, *_args: object) -> None:
        row = selected(self.table, CaseReviewRow)
        self.steps_model.set_rows(row.steps if row else [])
        self.plan.heading.setText(
            f"<b>Action plan</b> — {row.reference}" if row else "<b>Action plan</b>"
        )
        self.plan.show_for(case_review_id=row.id if row else None)

    def new_record(self) -> None:
        dialog = CaseReviewDialog(self.database, parent=self)
        if ask(dialog) and dialog.saved_id is not None:
            self.refresh()
            self.select_review(dialog.saved_id)
            self.status.emit("Added a referral")

    def edit_record(self) -> None:
        row = selected(self.table, CaseReviewRow)
        if row is not None and ask(CaseReviewDialog(self.database, row.id, self)):
            self.refresh()
            self.status.emit(f"Saved {row.reference}")

    #: Reviews are kept: the register is the record of what was referred and decided.
    nothing_removed = "Case reviews are not deleted: the register records every referral"

    def tables(self) -> list[QTableView]:
        return [self.table, self.steps, self.plan.table]

    def selected_record(self) -> Subject | None:
        """What Edit > History… shows: the action in the action plan when it is in use,
        otherwise the selected case review."""
        action = self.plan.selected_record()
        if action is not None:
            return action
        row = selected(self.table, CaseReviewRow)
        if row is None:
            return None
        return subject(f"Case review {row.reference}", ("case_review", row.id))
