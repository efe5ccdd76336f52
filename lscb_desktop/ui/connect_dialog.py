"""File > Connect to a shared database…: where the server is, who connects, a Test button that
says in words what happened; and the password asked for when the server wants one.

The password is typed here and kept, if the user asks, in the operating system's credential
store (services.connections): never in the settings, Recent, the log or a message.
"""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lscb_desktop.services.connections import (
    DEFAULT_PORT,
    DEFAULT_SSLMODE,
    NO_STORE,
    SSL_MODES,
    ConnectionCheck,
    ServerConnection,
    check_connection,
    connection_url,
    explain_failure,
    forget_password,
    needs_password,
    password_store_available,
    save_password,
    stored_password,
)
from lscb_desktop.store import Database, DatabaseError
from lscb_desktop.ui import lock_dialog
from lscb_desktop.ui.forms import Form
from lscb_desktop.ui.workers import run_with_progress

log = logging.getLogger(__name__)

SSL_LABELS = {
    "disable": "disable — never encrypted",
    "prefer": "prefer — encrypted when the server offers it",
    "require": "require — always encrypted",
    "verify-full": "verify-full — encrypted, and the server's certificate checked",
}
GOOD = "color:#1b5e20"
BAD = "color:#8a1c14"


@dataclass(frozen=True)
class ServerLogin:
    """A connection chosen in the dialog: the password typed (None: the remembered one, or
    libpq's own), and whether to remember it once the connection has worked (None: leave the
    credential store as it is)."""

    connection: ServerConnection
    password: str | None = field(default=None, repr=False)  # never in a log line or repr
    remember: bool | None = None

    @property
    def url(self) -> str:
        """The URL to open, password included: handed to the opening code, never shown."""
        return connection_url(self.connection, self.password)

    def keep_password(self) -> None:
        """After the connection worked: remember the typed password, or forget a remembered
        one the user no longer wants kept."""
        if self.remember and self.password:
            save_password(self.connection, self.password)
        elif self.remember is False:
            forget_password(self.connection)


class ConnectDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        initial: ServerConnection | None = None,
        title: str = "Connect to a shared database",
        ok_text: str = "&Connect",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.store = password_store_available()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A shared database lives on a PostgreSQL server that your IT team runs. "
            "They give you these details; the user guide's “Sharing the database” explains them.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form_layout = QFormLayout()
        self.form = Form(form_layout)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("db.council.local")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("lscb")
        self.user = QLineEdit(self)
        self.sslmode = QComboBox(self)
        for mode in SSL_MODES:
            self.sslmode.addItem(SSL_LABELS[mode], mode)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("&Remember the password (in this computer's password store)")
        for key, label, widget in (
            ("host", "&Server:", self.host),
            ("port", "P&ort:", self.port),
            ("database", "&Database:", self.database),
            ("user", "&User name:", self.user),
            ("sslmode", "&Encryption (SSL):", self.sslmode),
            ("password", "&Password:", self.password),
        ):
            self.form.add(key, label, widget)
        form_layout.addRow("", self.remember)
        layout.addLayout(form_layout)
        self.store_note = QLabel(NO_STORE, self)
        self.store_note.setWordWrap(True)
        self.store_note.setVisible(not self.store)
        layout.addWidget(self.store_note)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("What the test found")
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.test_button = QPushButton("&Test", self)
        self.connect_button = QPushButton(ok_text, self)
        self.connect_button.setDefault(True)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.test_button.clicked.connect(self.test)
        self.connect_button.clicked.connect(self.connect_)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.login: ServerLogin | None = None
        self.check: ConnectionCheck | None = None
        self._fill(initial)
        self.resize(560, self.sizeHint().height())

    def _fill(self, initial: ServerConnection | None) -> None:
        self.user.setText(initial.user if initial else _os_user())
        self.sslmode.setCurrentIndex(max(0, SSL_MODES.index(DEFAULT_SSLMODE)))
        remembered = False
        if initial is not None:
            self.host.setText(initial.host)
            self.port.setValue(initial.port)
            self.database.setText(initial.database)
            if initial.sslmode in SSL_MODES:
                self.sslmode.setCurrentIndex(SSL_MODES.index(initial.sslmode))
            remembered = self.store and stored_password(initial) is not None
        if remembered:
            self.password.setPlaceholderText("(remembered: leave empty to use it)")
        self.remember.setEnabled(self.store)
        self.remember.setChecked(self.store and (remembered or initial is None))

    def connection(self) -> ServerConnection | None:
        """The connection typed, or None (with the problems shown) when something is missing."""
        problems = {
            key: message
            for key, widget, message in (
                ("host", self.host, "Enter the server's name (or its address)."),
                ("database", self.database, "Enter the database's name."),
                ("user", self.user, "Enter your user name on the server."),
            )
            if not widget.text().strip()
        }
        self.form.show_problems(problems)
        if problems:
            return None
        return ServerConnection(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            sslmode=str(self.sslmode.currentData()),
        )

    def typed_password(self) -> str | None:
        return self.password.text() or None

    def test(self) -> None:
        """Tries to connect, and says in words what happened."""
        connection = self.connection()
        if connection is None:
            return
        password = self.typed_password()
        outcome = run_with_progress(
            self,
            "Test the connection",
            lambda _report: check_connection(connection, password),
            f"Connecting to {connection.host}…",
        )
        if outcome.error is not None:
            check = ConnectionCheck(False, explain_failure(outcome.error, connection))
        elif outcome.result is None:
            check = ConnectionCheck(False, "The test was stopped before it finished.")
        else:
            check = outcome.result
        self.check = check
        self.outcome.setStyleSheet(GOOD if check.ok else BAD)
        self.outcome.setText(check.message)

    def connect_(self) -> None:
        connection = self.connection()
        if connection is None:
            return
        remember = self.remember.isChecked() if self.store else None
        self.login = ServerLogin(connection, self.typed_password(), remember)
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, initial: ServerConnection | None = None, **options: str
    ) -> ServerLogin | None:
        """The connection the user chose, or None when they cancelled."""
        dialog = cls(parent, initial, **options)
        dialog.exec()
        return dialog.login if dialog.result() == QDialog.DialogCode.Accepted else None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class PasswordDialog(QDialog):
    """The password for a shared database, asked when the server wants one that is not (or
    no longer) remembered."""

    def __init__(self, connection: ServerConnection, why: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password")
        self.store = password_store_available()
        layout = QVBoxLayout(self)
        self.message = QLabel(
            f"{why}\n\nThe password of {connection.user} for {connection.label}:", self
        )
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        layout.addWidget(self.password)
        self.remember = QCheckBox("&Remember the password (in this computer's password store)")
        self.remember.setEnabled(self.store)
        self.remember.setChecked(self.store)
        layout.addWidget(self.remember)
        if not self.store:
            note = QLabel(NO_STORE, self)
            note.setWordWrap(True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Connect")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls, parent: QWidget | None, connection: ServerConnection, why: str
    ) -> tuple[str, bool | None] | None:
        """(the password, remember it: None when there is no store) or None when the user
        cancelled."""
        dialog = cls(connection, why, parent)
        dialog.exec()
        if dialog.result() != QDialog.DialogCode.Accepted:
            return None
        remember = dialog.remember.isChecked() if dialog.store else None
        return dialog.password.text(), remember


def open_server(parent: QWidget | None, login: ServerLogin) -> Database | None:
    """Opens a shared database for the window (through the lock dialog), asking for the password
    as long as the server refuses the one it has; None when the user cancels. Raises
    DatabaseError, in words, for anything else."""
    connection = login.connection
    while True:
        try:
            database = lock_dialog.open_for_window(parent, login.url)
        except DatabaseError as exc:
            if not needs_password(exc):
                raise DatabaseError(explain_failure(exc, connection)) from exc
            tried = login.password or stored_password(connection)
            why = (
                f"The server {connection.host} did not accept the password."
                if tried
                else f"The server {connection.host} asks for a password."
            )
            answer = PasswordDialog.ask(parent, connection, why)
            if answer is None:
                return None
            login = ServerLogin(connection, answer[0], answer[1])
            continue
        if database is not None:
            login.keep_password()
        return database
