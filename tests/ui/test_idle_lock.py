"""The idle lock hides patient data after the idle limit and restores the view on unlock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from ui_cases import ADULT, MARKUP_FAMILY, make_context

from counsellor_app.ui.idle_lock import LOCKED_TITLE, IdleLock
from counsellor_app.ui.main_window import MainWindow
from counsellor_app.ui.unlock_secret import remember_unlock_password

NAME = "<b>Ŵyn Łukasz-O'Brien</b>"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def visible_texts(widget: QWidget) -> list[str]:
    texts = []
    for label in widget.findChildren(QLabel):
        if label.isVisible():
            texts.append(label.text())
    return texts


def make_window(qtbot: QtBot, *, with_dialog: bool = True) -> tuple[QMainWindow, QLabel, QDialog]:
    window = QMainWindow()
    window.setWindowTitle(f"Case record: {NAME}")
    central = QWidget()
    layout = QVBoxLayout(central)
    name = QLabel(NAME)
    name.setTextFormat(Qt.TextFormat.PlainText)
    layout.addWidget(name)
    window.setCentralWidget(central)
    window.statusBar().showMessage("3 unsynced changes")
    qtbot.addWidget(window)
    window.show()
    dialog = QDialog(window)
    dialog_label = QLabel(NAME, dialog)
    dialog_label.setTextFormat(Qt.TextFormat.PlainText)
    if with_dialog:
        dialog.open()
    return window, name, dialog


def all_visible_name_widgets(window: QMainWindow, dialog: QDialog) -> list[str]:
    shown = [t for t in visible_texts(window) if "Łukasz" in t]
    shown += [t for t in visible_texts(dialog) if "Łukasz" in t]
    if dialog.isVisible():
        shown.append("dialog")
    if "Łukasz" in window.windowTitle():
        shown.append("title")
    return shown


def test_idle_lock_hides_patient_data_after_the_limit_and_unlock_restores_it(qtbot: QtBot) -> None:
    window, name, dialog = make_window(qtbot)
    clock = FakeClock()
    lock = IdleLock(window, 10, verify=lambda p: p == "right horse", clock=clock)
    assert all_visible_name_widgets(window, dialog)

    clock.advance(9 * 60)
    lock.check_idle()
    assert not lock.is_locked

    clock.advance(61)
    with qtbot.waitSignal(lock.locked):
        lock.check_idle()
    assert lock.is_locked
    assert all_visible_name_widgets(window, dialog) == []
    assert window.windowTitle() == LOCKED_TITLE
    assert lock.lock_screen.isVisible()

    lock.lock_screen.password.setFocus()
    qtbot.keyClicks(lock.lock_screen.password, "wrong")
    qtbot.keyClick(lock.lock_screen.password, Qt.Key.Key_Return)
    assert lock.is_locked
    assert lock.lock_screen.error.text() == "That password is not right. Try again."
    assert all_visible_name_widgets(window, dialog) == []

    qtbot.keyClicks(lock.lock_screen.password, "right horse")
    with qtbot.waitSignal(lock.unlocked):
        qtbot.mouseClick(lock.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.is_locked
    assert name.isVisible()
    assert dialog.isVisible()
    assert NAME in window.windowTitle()
    assert not lock.lock_screen.isVisible()


def test_input_resets_the_idle_clock(qtbot: QtBot) -> None:
    window, name, _dialog = make_window(qtbot)
    clock = FakeClock()
    lock = IdleLock(window, 10, verify=lambda p: True, clock=clock)
    clock.advance(9 * 60)
    qtbot.mouseMove(name)
    qtbot.keyClick(window, Qt.Key.Key_Shift)
    clock.advance(2 * 60)
    lock.check_idle()
    assert not lock.is_locked
    assert lock.idle_seconds() == 2 * 60


def test_ctrl_l_locks_at_once(qtbot: QtBot) -> None:
    window, name, _dialog = make_window(qtbot, with_dialog=False)
    lock = IdleLock(window, 10, verify=lambda p: True, clock=FakeClock())
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(lock.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not name.isVisible()


def test_a_window_opened_while_locked_waits_until_unlock(qtbot: QtBot) -> None:
    window, _name, _dialog = make_window(qtbot, with_dialog=False)
    open_case = QAction("Open case", window)
    open_case.setShortcut("Ctrl+O")
    window.addAction(open_case)
    lock = IdleLock(window, 10, verify=lambda p: p == "pw", clock=FakeClock())
    lock.lock()
    assert not open_case.isEnabled()
    late = QDialog(window)
    QLabel(NAME, late).setTextFormat(Qt.TextFormat.PlainText)
    late.open()
    qtbot.waitUntil(lambda: not late.isVisible())
    assert lock.is_locked
    assert lock.try_unlock("pw")
    assert late.isVisible()
    assert open_case.isEnabled()


def test_main_window_shows_nothing_but_the_lock_screen_while_locked(
    qtbot: QtBot, tmp_path: Path
) -> None:
    context = make_context(tmp_path / "profile")
    assert context.key_provider is not None
    remember_unlock_password(context.cache, "hub password")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_initial()
    with qtbot.waitExposed(window):
        window.show()
    window.open_case(ADULT)
    lock = window.idle_lock
    assert lock is not None
    shown_before = visible_widgets()
    assert any(MARKUP_FAMILY in text for text in texts_of(shown_before))

    with qtbot.waitSignal(lock.locked):
        lock.lock()
    screen = lock.lock_screen
    for widget in visible_widgets():
        assert widget is window or widget is screen or screen.isAncestorOf(widget), widget
    assert not any(MARKUP_FAMILY in text for text in texts_of(visible_widgets()))
    assert MARKUP_FAMILY not in window.windowTitle()

    qtbot.keyClicks(screen.password, "hub password")
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert any(MARKUP_FAMILY in text for text in texts_of(visible_widgets()))
    assert window.centralWidget().isVisible() and window.statusBar().isVisible()
    assert window.windowTitle() != LOCKED_TITLE
    assert not screen.isVisible()
    context.cache.close()


def visible_widgets() -> list[QWidget]:
    return [w for w in QApplication.allWidgets() if w.isVisible()]


def texts_of(widgets: list[QWidget]) -> list[str]:
    texts = []
    for widget in widgets:
        for getter in ("text", "windowTitle", "currentText"):
            value = getattr(widget, getter, None)
            if callable(value):
                try:
                    result = value()
                except TypeError:
                    continue
                if isinstance(result, str):
                    texts.append(result)
    return texts
