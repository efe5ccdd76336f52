"""File > Settings: the organisation, the words it uses, and the rules the program applies."""

from __future__ import annotations

import calendar
import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop import clock
from lscb_desktop.services.agreement_words import template_problem
from lscb_desktop.services.anonymity import reference_problem
from lscb_desktop.services.concurrency import Snapshot, settings_snapshot
from lscb_desktop.services.settings import (
    BOARD_TERMS,
    DEFAULT_CASE_REFERENCE_PATTERN,
    KEEP_LOGO,
    LATEST_YEAR,
    MARKINGS,
    REASON_LENGTH,
    REVIEW_TERMS,
    Settings,
    check_logo,
    load_logo,
    load_settings,
    save_settings,
)
from lscb_desktop.services.validation import Collector, check_email, check_uk_phone
from lscb_desktop.store import Database
from lscb_desktop.ui.conflict_dialog import RecordDialog, Unsaved
from lscb_desktop.ui.forms import Form
from lscb_desktop.ui.settings_agreement import AgreementPage


class SettingsDialog(RecordDialog):
    """Edits the settings; nothing is saved until every field is right, and saving over a
    setting someone else changed since the dialog was opened asks what to do."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.setWindowTitle("Settings")
        self.current = Settings()
        self.logo: bytes | None = None
        self._logo_changed = False
        self.form = Form()
        self.tabs = tabs = QTabWidget(self)
        tabs.addTab(self._organisation_page(), "&Organisation")
        tabs.addTab(self._rules_page(), "&Words and rules")
        tabs.addTab(self._attendance_page(), "Atte&ndance")
        tabs.addTab(self._clock_page(), "&Case reviews")
        self.agreement = AgreementPage(self.form, self)
        tabs.addTab(self.agreement, "&Membership agreement")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.open_records()
        self.resize(620, 520)

    def take_snapshot(self) -> Snapshot:
        return settings_snapshot(self.database)

    def load(self) -> None:
        self.current = load_settings(self.database)
        self.logo = load_logo(self.database)
        self._logo_changed = False
        self.logo_preview.clear()
        self._show_logo()
        s = self.current
        for key in (
            "organisation_name",
            "organisation_short_name",
            "phone",
            "email",
            "default_venue",
            "case_reference_pattern",
        ):
            edit = getattr(self, key)
            edit.setText(getattr(s, key))
        self.address.setPlainText(s.address)
        self.agreement.fill(s)
        self.term_board.setCurrentText(s.term_board)
        self.term_review.setCurrentIndex(REVIEW_TERMS.index(s.term_review))
        self.protective_marking.setCurrentText(s.protective_marking)
        self.papers_deadline_days.setValue(s.papers_deadline_days)
        self.email_attachment_limit_mb.setValue(s.email_attachment_limit_mb)
        self.attendance_threshold.setValue(s.attendance_threshold)
        self.apology_reasons.setPlainText(s.apology_reasons)
        self.lay_members_count_for_quorum.setChecked(s.lay_members_count_for_quorum)
        self.show_percentages.setChecked(s.show_percentages)
        self.annual_period_start_month.setCurrentIndex(s.annual_period_start_month - 1)
        self.earliest_year.setValue(s.earliest_year)
        for key, spin in self.clock.items():
            spin.setValue(getattr(s, key))

    def clear_messages(self) -> None:
        self.form.clear_problems()

    def _organisation_page(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        layout = QFormLayout()
        outer.addLayout(layout)
        outer.addStretch(1)
        self.organisation_name = QLineEdit()
        self.organisation_short_name = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().height() * 6 + 8)
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.default_venue = QLineEdit()
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(180, 70)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #bbb; background: white;")
        choose = QPushButton("&Choose…")
        clear = QPushButton("Re&move")
        choose.clicked.connect(self.choose_logo)
        clear.clicked.connect(self.remove_logo)
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo_preview)
        row.addWidget(choose)
        row.addWidget(clear)
        row.addStretch(1)
        for key, label, widget in (
            ("organisation_name", "&Name *", self.organisation_name),
            ("organisation_short_name", "&Short name", self.organisation_short_name),
            ("address", "&Address", self.address),
            ("phone", "&Phone", self.phone),
            ("email", "&Email", self.email),
            ("default_venue", "Usual &venue", self.default_venue),
            ("logo", "&Logo", logo_row),
        ):
            self.form.add(key, label, widget, layout=layout)
        return page

    def _rules_page(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        layout = QFormLayout()
        outer.addLayout(layout)
        outer.addStretch(1)
        self.term_board = QComboBox()
        self.term_board.addItems(BOARD_TERMS)
        self.term_review = QComboBox()
        self.term_review.addItems([term.capitalize() for term in REVIEW_TERMS])
        self.protective_marking = QComboBox()
        self.protective_marking.setEditable(True)
        self.protective_marking.addItems(MARKINGS)
        self.papers_deadline_days = QSpinBox()
        self.papers_deadline_days.setRange(0, 60)
        self.papers_deadline_days.setSuffix(" days before the meeting")
        self.email_attachment_limit_mb = QSpinBox()
        self.email_attachment_limit_mb.setRange(1, 150)
        self.email_attachment_limit_mb.setSuffix(" MB")
        self.annual_period_start_month = QComboBox()
        for month in range(1, 13):
            self.annual_period_start_month.addItem(calendar.month_name[month], month)
        self.earliest_year = QSpinBox()
        self.earliest_year.setRange(1900, clock.today().year)
        self.earliest_year.setToolTip(
            f"Dates before 1 January of this year, or after {LATEST_YEAR}, are refused in every "
            "form and import as typing mistakes (a meeting on 01/01/1900). Lower it to keep "
            "older history."
        )
        for key, label, widget in (
            ("term_board", "The main body is called the", self.term_board),
            ("term_review", "Case reviews are called", self.term_review),
            ("protective_marking", "Protective &marking", self.protective_marking),
            ("papers_deadline_days", "Papers &deadline", self.papers_deadline_days),
            (
                "email_attachment_limit_mb",
                "Largest pack to e-mail",
                self.email_attachment_limit_mb,
            ),
            (
                "annual_period_start_month",
                "Annual period &starts in",
                self.annual_period_start_month,
            ),
            ("earliest_year", "&Dates from the year", self.earliest_year),
        ):
            self.form.add(key, label, widget, layout=layout)
        layout.addRow(
            "",
            _note(
                f"Dates before this year or after {LATEST_YEAR} are refused as typing mistakes; "
                "lower it to record older history."
            ),
        )
        return page

    def _attendance_page(self) -> QWidget:
        """Who makes a meeting quorate, how figures are shown, and the reasons for apologies."""
        page = QWidget(self)
        outer = QVBoxLayout(page)
        layout = QFormLayout()
        outer.addLayout(layout)
        self.attendance_threshold = QSpinBox()
        self.attendance_threshold.setRange(0, 100)
        self.attendance_threshold.setSuffix(" %")
        self.lay_members_count_for_quorum = QCheckBox("Lay members count towards quorum")
        self.lay_members_count_for_quorum.setToolTip(
            "In some areas lay members make a meeting quorate; by default they do not. Advisers, "
            "the business manager and administrators never do, nor does an agency marked as not "
            "counting (the Board's business unit)."
        )
        self.show_percentages = QCheckBox("Show percentages beside counts")
        self.show_percentages.setToolTip(
            "Figures always give counts (9 of 12); untick to leave out the percentages "
            "(some boards report counts alone)."
        )
        self.apology_reasons = QPlainTextEdit()
        self.apology_reasons.setTabChangesFocus(True)
        self.apology_reasons.setFixedHeight(self.fontMetrics().height() * 8 + 8)
        for key, label, widget, accessible in (
            (
                "attendance_threshold",
                "Attendance &threshold",
                self.attendance_threshold,
                "",
            ),
            (
                "lay_members_count_for_quorum",
                "Quorum",
                self.lay_members_count_for_quorum,
                "Lay members count towards quorum",
            ),
            (
                "show_percentages",
                "Figures",
                self.show_percentages,
                "Show percentages beside counts",
            ),
            (
                "apology_reasons",
                "&Reasons for apologies",
                self.apology_reasons,
                "Reasons for apologies, one a line",
            ),
        ):
            self.form.add(key, label, widget, accessible, layout=layout)
        layout.addRow(
            "",
            _note(
                "Attendance below the threshold is marked. The reasons are offered when "
                "apologies are recorded, one a line, in this order (any other may be typed); "
                f"each is a short phrase of at most {REASON_LENGTH} characters."
            ),
        )
        outer.addStretch(1)
        return page

    def _clock_page(self) -> QWidget:
        """How a case is referred to, and the statutory periods of a case review, in working
        days (months for the report)."""
        page = QWidget(self)
        outer = QVBoxLayout(page)
        layout = QFormLayout()
        outer.addLayout(layout)
        outer.addStretch(1)
        self.case_reference_pattern = QLineEdit()
        self.case_reference_pattern.setPlaceholderText(DEFAULT_CASE_REFERENCE_PATTERN)
        self.form.add(
            "case_reference_pattern",
            "Case &references",
            self.case_reference_pattern,
            "Case reference pattern",
            layout=layout,
        )
        layout.addRow(
            "",
            _note(
                "A case is known only by an anonymised reference, never by a child's name. "
                "Every reference must match this pattern (a regular expression, matched whole, "
                "capitals or not). The usual one takes the kind of review, the year and a "
                "number: CSPR 2026-03, SCR 2015-01, LSCB/2014/3."
            ),
        )
        self.reference_try = QLineEdit()
        self.reference_try.setPlaceholderText("Type a reference to try the pattern")
        self.reference_verdict = QLabel()
        self.reference_verdict.setWordWrap(True)
        try_row = QWidget()
        column = QVBoxLayout(try_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reference_try)
        column.addWidget(self.reference_verdict)
        layout.addRow("&Try a reference", try_row)
        self.reference_try.setAccessibleName("Try a reference")
        self.reference_try.textChanged.connect(self._try_reference)
        self.case_reference_pattern.textChanged.connect(self._try_reference)
        self.clock: dict[str, QSpinBox] = {}
        for key, label, suffix in (
            ("review_confirm_working_days", "Referral confirmed in writing", " working days"),
            ("review_panel_working_days", "National Panel notified", " working days"),
            ("review_rapid_working_days", "Rapid review sent", " working days"),
            ("review_report_months", "Final report after the decision", " months"),
            ("review_notice_working_days", "Notice before publication", " working days"),
            ("due_soon_working_days", "A step is due soon within", " working days"),
        ):
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setSuffix(suffix)
            self.clock[key] = spin
            self.form.add(key, label, spin, layout=layout)
        return page

    def _try_reference(self) -> None:
        """Says whether the reference typed in the trial field matches the pattern typed."""
        text = self.reference_try.text()
        if not text.strip():
            self.reference_verdict.clear()
            return
        pattern = self.case_reference_pattern.text().strip()
        trial = dataclasses.replace(self.current, case_reference_pattern=pattern)
        try:
            trial.validated()
        except ValueError as exc:
            key, _, why = str(exc).partition(": ")
            if key == "case_reference_pattern":
                self.reference_verdict.setStyleSheet("color: #b00020;")
                self.reference_verdict.setText(f"This pattern cannot be used: {why}.")
                return
        if reference_problem(text, trial) is None:
            self.reference_verdict.setStyleSheet("color: #1b5e20;")
            self.reference_verdict.setText("Accepted.")
        else:
            self.reference_verdict.setStyleSheet("color: #b00020;")
            self.reference_verdict.setText("Refused: it does not match the pattern.")

    # -- the logo -----------------------------------------------------------------------------

    def _show_logo(self) -> None:
        if not self.logo:
            self.logo_preview.setText("No logo")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(QByteArray(self.logo))
        self.logo_preview.setPixmap(
            pixmap.scaled(
                self.logo_preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a logo", str(Path.home()), "Images (*.png *.jpg *.jpeg)"
        )
        if path:
            self.logo = Path(path).read_bytes()
            self._logo_changed = True
            self._show_logo()

    def remove_logo(self) -> None:
        self.logo = None
        self._logo_changed = True
        self.logo_preview.clear()
        self._show_logo()

    # -- saving -------------------------------------------------------------------------------

    def value(self) -> Settings:
        clock_periods: dict[str, Any] = {key: spin.value() for key, spin in self.clock.items()}
        return dataclasses.replace(
            self.current,
            organisation_name=self.organisation_name.text().strip(),
            organisation_short_name=self.organisation_short_name.text().strip(),
            address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            default_venue=self.default_venue.text().strip(),
            term_board=self.term_board.currentText(),
            term_review=REVIEW_TERMS[self.term_review.currentIndex()],
            protective_marking=self.protective_marking.currentText().strip(),
            papers_deadline_days=self.papers_deadline_days.value(),
            email_attachment_limit_mb=self.email_attachment_limit_mb.value(),
            attendance_threshold=self.attendance_threshold.value(),
            apology_reasons=self.apology_reasons.toPlainText().strip(),
            lay_members_count_for_quorum=self.lay_members_count_for_quorum.isChecked(),
            show_percentages=self.show_percentages.isChecked(),
            annual_period_start_month=int(self.annual_period_start_month.currentData()),
            case_reference_pattern=self.case_reference_pattern.text().strip(),
            earliest_year=self.earliest_year.value(),
            **clock_periods,
            **self.agreement.values(),
        )

    def save(self) -> None:
        value = self.value()
        problems = Collector()
        value = dataclasses.replace(
            value,
            phone=problems.run("phone", check_uk_phone, value.phone),
            email=problems.run("email", check_email, value.email),
            administrator_phone=problems.run(
                "administrator_phone", check_uk_phone, value.administrator_phone
            ),
            administrator_email=problems.run(
                "administrator_email", check_email, value.administrator_email
            ),
        )
        for key in ("agreement_title", "agreement_return", "agreement_text"):
            problem = template_problem(getattr(value, key))
            if problem:
                problems.add(key, problem)
        if not value.protective_marking:
            problems.add("protective_marking", "Enter the marking printed on every page.")
        reasons = _reasons_problem(value.apology_reasons)
        if reasons:
            problems.add("apology_reasons", reasons)
        try:
            value.validated()
        except ValueError as exc:
            key, _, text = str(exc).partition(": ")
            problems.add(key, text[:1].upper() + text[1:] + ".")
        if self._logo_changed:
            try:
                check_logo(self.logo)
            except ValueError as exc:
                problems.add("logo", str(exc).partition(": ")[2].capitalize() + ".")
        if problems.problems:
            self._show_problems(problems.problems)
            return
        logo = self.logo if self._logo_changed else KEEP_LOGO
        try:
            self.guarded_save(lambda: save_settings(self.database, value, logo))
        except Unsaved:
            return
        self.saved = value
        self.accept()

    def _show_problems(self, problems: dict[str, str]) -> None:
        """Each problem under its field; the page of the first one is shown (Form.reveal)."""
        self.form.show_problems(problems)

    @classmethod
    def edit(cls, parent: QWidget, database: Database) -> Settings | None:
        """Shows the dialog; the saved settings, or None if cancelled."""
        dialog = cls(database, parent)
        if dialog.exec() != cls.DialogCode.Accepted:
            return None
        return dialog.saved


def _reasons_problem(text: str) -> str:
    """What is wrong with the reasons typed (one a line), or "": a reason is a short phrase."""
    for number, line in enumerate(text.splitlines(), start=1):
        reason = " ".join(line.split())
        if len(reason) > REASON_LENGTH:
            return (
                f"Line {number} (“{reason[:40]}…”) is {len(reason)} characters long: a reason "
                f"for apologies is a short phrase of at most {REASON_LENGTH}, longer detail "
                "goes in the notes of the attendance."
            )
    return ""


def _note(text: str) -> QLabel:
    """A line of explanation under a field, in the palette's quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label
