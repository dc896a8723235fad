"""The idle lock: hides every window's contents after minutes without input, until unlocked."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

Verifier = Callable[[str], bool]
"""Returns whether the typed password (or passphrase) is the signed-in user's."""

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
CHECK_INTERVAL_MS = 5_000  # how often the idle time is compared with the limit
LOCKED_TITLE = "Counsellor Desk (locked)"


class LockScreen(QWidget):
    """What covers the window while it is locked: no patient data, only the unlock form."""

    unlock_requested = Signal(str)

    def __init__(self, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("Counsellor Desk is locked")
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.prompt = QLabel(prompt)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password to unlock")
        self.password.setMinimumWidth(260)
        self.password.setMaximumWidth(360)
        self.password.returnPressed.connect(self._submit)
        layout.addWidget(self.password, 0, Qt.AlignmentFlag.AlignHCenter)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setObjectName("lockError")
        layout.addWidget(self.error)
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.clicked.connect(self._submit)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def _submit(self) -> None:
        self.unlock_requested.emit(self.password.text())


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without keyboard, mouse or touch input in the app.

    While locked, every widget of the window (and every other open window of the app, such as
    a dialog) is hidden and the window title no longer names anyone; only the lock screen shows.
    Unlocking needs the user's password or passphrase, checked by ``verify``. Ctrl+L locks at once.

    ``clock`` (seconds, monotonic) is injectable: tests advance a fake clock and call
    :meth:`check_idle` instead of waiting.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QWidget,
        minutes: int,
        *,
        verify: Verifier,
        prompt: str = "Type your password to carry on.",
        clock: Callable[[], float] = time.monotonic,
        check_interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._verify = verify
        self._clock = clock
        self._limit_seconds = 0.0
        self.set_minutes(minutes)
        self._last_input = clock()
        self._is_locked = False
        self._hidden: list[QWidget] = []
        self._disabled_actions: list[QAction] = []
        self._disabled_shortcuts: list[QShortcut] = []
        self._saved_title = ""
        self._screen = LockScreen(prompt, window)
        self._screen.hide()
        self._screen.unlock_requested.connect(self.try_unlock)
        self._shortcut = QShortcut(QKeySequence("Ctrl+L"), window)
        self._shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self._shortcut.activated.connect(self.lock)
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()
        window.installEventFilter(self)  # keeps the lock screen sized to the window
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self._is_locked

    @property
    def lock_screen(self) -> LockScreen:
        return self._screen

    def set_minutes(self, minutes: int) -> None:
        """Changes the idle limit (from the settings dialog); takes effect at once."""
        self._limit_seconds = max(1, int(minutes)) * 60.0

    def set_verifier(self, verify: Verifier) -> None:
        self._verify = verify

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def check_idle(self) -> None:
        """Locks if the app has had no input for the configured minutes."""
        if not self._is_locked and self.idle_seconds() >= self._limit_seconds:
            self.lock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in _INPUT_EVENTS:
            if not self._is_locked:
                self._last_input = self._clock()
        elif not self._is_locked:
            return False
        elif kind == QEvent.Type.Resize and watched is self._window:
            self._screen.setGeometry(self._window.rect())
        elif kind == QEvent.Type.Show and isinstance(watched, QWidget):
            self._keep_hidden_while_locked(watched)
        return False

    def _inside_lock_screen(self, item: QObject) -> bool:
        parent = item.parent()
        while parent is not None:
            if parent is self._screen:
                return True
            parent = parent.parent()
        return False

    def _keep_hidden_while_locked(self, widget: QWidget) -> None:
        """A window that opens while locked (a dialog, a message box) waits until unlock."""
        if not widget.isWindow() or widget is self._window:
            return
        if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            return  # the lock screen's own menus and tooltips
        if widget not in self._hidden:
            self._hidden.append(widget)
        QTimer.singleShot(0, widget.hide)

    def lock(self) -> None:
        """Hides everything that may show patient data and shows the lock screen."""
        if self._is_locked:
            return
        self._is_locked = True
        self._hidden = []
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for child in self._window.findChildren(QWidget, options=direct):
            if child is not self._screen and child.isVisible() and not child.isWindow():
                self._hidden.append(child)
                child.hide()
        for top in QApplication.topLevelWidgets():
            if top is not self._window and top.isVisible():
                self._hidden.append(top)
                top.hide()
        self._disabled_actions = [
            action
            for action in self._window.findChildren(QAction)
            if action.isEnabled() and not self._inside_lock_screen(action)
        ]
        for action in self._disabled_actions:
            action.setEnabled(False)  # no shortcut opens a case behind the lock
        self._disabled_shortcuts = [
            shortcut
            for shortcut in self._window.findChildren(QShortcut)
            if shortcut is not self._shortcut and shortcut.isEnabled()
        ]
        for shortcut in self._disabled_shortcuts:
            shortcut.setEnabled(False)
        self._saved_title = self._window.windowTitle()
        self._window.setWindowTitle(LOCKED_TITLE)
        self._screen.password.clear()
        self._screen.error.clear()
        self._screen.setGeometry(self._window.rect())
        self._screen.show()
        self._screen.raise_()
        self._screen.password.setFocus()
        log.info("window locked")
        self.locked.emit()

    def try_unlock(self, password: str) -> bool:
        """Unlocks when ``password`` is right; otherwise says so on the lock screen."""
        if not self._is_locked:
            return True
        self._screen.password.clear()
        if not password:
            self._screen.error.setText("Type your password, then press Enter.")
            return False
        if not self._verify(password):
            self._screen.error.setText("That password is not right. Try again.")
            log.info("unlock refused")
            return False
        self._unlock()
        return True

    def _unlock(self) -> None:
        self._screen.hide()
        self._window.setWindowTitle(self._saved_title)
        for widget in self._hidden:
            if shiboken6.isValid(widget):  # a window closed by the app meanwhile stays closed
                widget.show()
        self._hidden = []
        for action in self._disabled_actions:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        for shortcut in self._disabled_shortcuts:
            if shiboken6.isValid(shortcut):
                shortcut.setEnabled(True)
        self._disabled_actions = []
        self._disabled_shortcuts = []
        self._is_locked = False
        self._last_input = self._clock()
        log.info("window unlocked")
        self.unlocked.emit()
