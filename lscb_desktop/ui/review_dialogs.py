"""The audit form and the case review form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.models import AuditStatus, ReviewDecision, ReviewType
from lscb_desktop.services.audits import AuditInput, audit_input, save_audit
from lscb_desktop.services.people import agency_choices, person_choices
from lscb_desktop.services.reviews import (
    DATE_COLUMNS,
    STEPS,
    CaseReviewInput,
    case_review_input,
    save_case_review,
)
from lscb_desktop.services.settings import LATEST_YEAR, load_settings
from lscb_desktop.store import Database
from lscb_desktop.ui.choice_combo import ChoiceCombo
from lscb_desktop.ui.forms import (
    FormDialog,
    OptionalDate,
    enum_combo,
)

COMPLIANCE = ("", "Good", "Adequate", "Requires improvement", "Inadequate")


def _text(value: str = "", lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().height() * lines + 12)
    return edit


def _date(value: dt.date | None, text: str, earliest_year: int) -> OptionalDate:
    field = OptionalDate(text, earliest_year=earliest_year)
    field.set_value(value)
    return field


class AuditDialog(FormDialog):
    def __init__(
        self,
        database: Database,
        audit_id: int | None = None,
        year: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, "Edit audit" if audit_id else "New audit", parent)
        self.audit_id = audit_id
        data = AuditInput("", period_start_year=year or clock.today().year)
        self.title = QLineEdit()
        self.theme = QLineEdit()
        self.earliest_year = load_settings(database).earliest_year
        earliest_year = self.earliest_year
        self.year = QSpinBox()
        self.year.setRange(earliest_year, LATEST_YEAR)
        self.year.setPrefix("April ")
        self.quarter = QSpinBox()
        self.quarter.setRange(0, 4)
        self.quarter.setSpecialValueText("Not set")
        self.core = QCheckBox("One of the four core audits of the year")
        self.priority = QLineEdit()
        self.lead = ChoiceCombo(person_choices(database), blank="")
        self.agencies = QListWidget()
        self.agencies.setFixedHeight(self.fontMetrics().height() * 7)
        for choice in agency_choices(database):
            item = QListWidgetItem(choice.text)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.agencies.addItem(item)
        self.cases = QSpinBox()
        self.cases.setRange(0, 1000)
        self.cases.setSpecialValueText("Not set")
        self.status = enum_combo(AuditStatus, data.status)
        self.findings = _text("", 4)
        self.compliance = QComboBox()
        self.compliance.setEditable(True)
        self.compliance.addItems(COMPLIANCE)
        self.escalated = _date(None, "Escalated", earliest_year)
        self.assurance = _date(None, "Asked for", earliest_year)
        self.letter = _date(None, "Signed", earliest_year)
        self.notes = _text("", 2)
        period = QHBoxLayout()
        period.addWidget(self.year)
        period.addWidget(self.quarter)
        when = QWidget()
        when.setLayout(period)
        for key, label, widget in (
            ("title", "&Title *", self.title),
            ("theme", "T&heme", self.theme),
            ("period", "&Period and quarter", when),
            ("core", "Core", self.core),
            ("priority", "&Board priority", self.priority),
            ("lead", "&Lead", self.lead),
            ("agencies", "&Agencies involved", self.agencies),
            ("cases_sampled", "&Cases sampled", self.cases),
            ("status", "&Status", self.status),
            ("findings", "&Findings", self.findings),
            ("compliance", "Com&pliance", self.compliance),
            ("escalated_to_sag_on", "Escalated to SAG", self.escalated),
            ("assurance_requested_on", "Assurance report", self.assurance),
            ("authority_letter_on", "Letter of authority", self.letter),
            ("notes", "&Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        self.fill(data)
        if audit_id:
            self.open_records()
        self.resize(620, 760)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("audit", self.audit_id),) if self.audit_id else ()

    def load(self) -> None:
        if self.audit_id:
            self.fill(audit_input(self.database, self.audit_id))

    def fill(self, data: AuditInput) -> None:
        self.title.setText(data.title)
        self.theme.setText(data.theme)
        self.year.setMinimum(min(self.earliest_year, data.period_start_year))
        self.year.setValue(data.period_start_year)
        self.quarter.setValue(data.quarter or 0)
        self.core.setChecked(data.core)
        self.priority.setText(data.priority)
        self.lead.set_id(data.lead_id)
        for row in range(self.agencies.count()):
            item = self.agencies.item(row)
            checked = int(item.data(Qt.ItemDataRole.UserRole)) in data.agency_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.cases.setValue(data.cases_sampled or 0)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.findings.setPlainText(data.findings)
        self.compliance.setCurrentText(data.compliance)
        self.escalated.set_value(data.escalated_to_sag_on)
        self.assurance.set_value(data.assurance_requested_on)
        self.letter.set_value(data.authority_letter_on)
        self.notes.setPlainText(data.notes)

    def value(self) -> AuditInput:
        checked = []
        for row in range(self.agencies.count()):
            item = self.agencies.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                checked.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return AuditInput(
            title=self.title.text(),
            period_start_year=self.year.value(),
            theme=self.theme.text().strip(),
            quarter=self.quarter.value() or None,
            core=self.core.isChecked(),
            priority=self.priority.text().strip(),
            lead_id=self.lead.current_id(),
            agency_ids=tuple(checked),
            cases_sampled=self.cases.value() or None,
            status=AuditStatus(self.status.currentData()),
            findings=self.findings.toPlainText(),
            compliance=self.compliance.currentText().strip(),
            escalated_to_sag_on=self.escalated.value(),
            assurance_requested_on=self.assurance.value(),
            authority_letter_on=self.letter.value(),
            notes=self.notes.toPlainText(),
        )

    def save_record(self) -> int:
        return save_audit(self.database, self.value(), self.audit_id)


class CaseReviewDialog(FormDialog):
    """A referral or review: the anonymised reference (no field for a child's name) and the
    dated steps."""

    def __init__(
        self, database: Database, review_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(database, "Edit case review" if review_id else "New referral", parent)
        self.review_id = review_id
        data = CaseReviewInput("", ReviewType.LOCAL_CSPR)
        earliest_year = load_settings(database).earliest_year
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("e.g. CSPR 2026-03 — never a child's name")
        self.reference.setToolTip(
            "The anonymised reference the case is known by. Names, dates of birth, ages, "
            "addresses and postcodes are refused here and in the notes."
        )
        self.review_type = enum_combo(ReviewType, data.review_type)
        self.agency = ChoiceCombo(agency_choices(database), blank="")
        self.decision = enum_combo(ReviewDecision, None, blank="Not decided yet")
        self.reviewer = QLineEdit()
        self.methodology = QLineEdit()
        self.notes = _text("", 3)
        for key, label, widget in (
            ("reference", "&Reference *", self.reference),
            ("review_type", "&Type", self.review_type),
            ("referring_agency", "Referring &agency", self.agency),
            ("decision", "&Decision", self.decision),
            ("reviewer", "Re&viewer", self.reviewer),
            ("methodology", "&Methodology", self.methodology),
            ("notes", "&Notes", self.notes),
        ):
            self.form.add(key, label, widget)
        steps = QGroupBox("Steps and their dates", self)
        steps_layout = QFormLayout(steps)
        self.dates: dict[str, OptionalDate] = {}
        labels = {step.column: step.label for step in STEPS}
        labels["publication_planned_on"] = "Publication planned for"
        for column in DATE_COLUMNS:
            field = _date(None, "Done on", earliest_year)
            if column == "publication_planned_on":
                field.check.setText("Planned")
            self.dates[column] = field
            self.form.add(column, labels[column], field, layout=steps_layout)
        self.form_layout.addRow(steps)
        self.fill(data)
        if review_id:
            self.open_records()
        self.fit_to_screen(620, 820)

    def records(self) -> tuple[tuple[str, object], ...]:
        return (("case_review", self.review_id),) if self.review_id else ()

    def load(self) -> None:
        if self.review_id:
            self.fill(case_review_input(self.database, self.review_id))

    def fill(self, data: CaseReviewInput) -> None:
        self.reference.setText(data.reference)
        self.review_type.setCurrentIndex(max(0, self.review_type.findData(data.review_type)))
        self.agency.set_id(data.referring_agency_id)
        self.decision.setCurrentIndex(max(0, self.decision.findData(data.decision)))
        self.reviewer.setText(data.reviewer)
        self.methodology.setText(data.methodology)
        self.notes.setPlainText(data.notes)
        dates = data.dates or {}
        for column, field in self.dates.items():
            field.set_value(dates.get(column))

    def value(self) -> CaseReviewInput:
        return CaseReviewInput(
            reference=self.reference.text(),
            review_type=ReviewType(self.review_type.currentData()),
            referring_agency_id=self.agency.current_id(),
            decision=self.decision.currentData(),
            reviewer=self.reviewer.text(),
            methodology=self.methodology.text(),
            notes=self.notes.toPlainText(),
            dates={column: field.value() for column, field in self.dates.items()},
        )

    def save_record(self) -> int:
        return save_case_review(self.database, self.value(), self.review_id)
