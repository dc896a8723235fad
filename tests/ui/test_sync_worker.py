"""Background sync with a real hub on loopback: fills the cache, sends the outbox, one at a time."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_hub import (
    PASSWORD,
    USER,
    hub_decisions,
    hub_request_body,
    hub_result_body,
    hub_team_participants,
    start_hub,
)

from counsellor_app.domain.consent import ConsentScope, Decision, Method
from counsellor_app.domain.request import RequestStatus
from counsellor_app.hub.auth import Accounts
from counsellor_app.hub.server import RunningHub
from counsellor_app.store.engine import open_cache
from counsellor_app.store.keys import KeyProvider
from counsellor_app.store.paths import Profile
from counsellor_app.store.tables import ParticipantRow, RequestRow, ResultRow
from counsellor_app.sync.backoff import BackoffPolicy
from counsellor_app.sync.device import device_id
from counsellor_app.sync.engine import SyncOptions
from counsellor_app.sync.report import SyncReport
from counsellor_app.ui.background import UNEXPECTED, BackgroundJob
from counsellor_app.ui.context import AppContext
from counsellor_app.ui.dialogs.record_consent import RecordConsentDialog
from counsellor_app.ui.dialogs.respond_request import RespondToRequestDialog
from counsellor_app.ui.dialogs.result_progress import ResultProgressDialog
from counsellor_app.ui.settings_store import AppSettings
from counsellor_app.ui.sync_worker import SyncController

WAIT_MS = 60_000


def no_wait(seconds: float, cancel: threading.Event) -> bool:
    return not cancel.is_set()


def quick_options() -> SyncOptions:
    return SyncOptions(
        page_size=20,
        backoff=BackoffPolicy(attempts=2, base_seconds=0.01, cap_seconds=0.02),
        sleeper=no_wait,
        rng=random.Random(1),
    )


@pytest.fixture
def running_hub(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[tuple[RunningHub, str]]:
    hub, url = start_hub(tmp_path_factory, tmp_path / "hub")
    yield hub, url
    hub.stop()


def client_context(root: Path, hub_url: str) -> AppContext:
    profile = Profile.at(root)
    keys = KeyProvider(profile)
    cache = open_cache(profile, keys, create=True)
    return AppContext(
        profile=profile, cache=cache, user_name=USER, hub_url=hub_url,
        settings=AppSettings(hub_url=hub_url, user_name=USER), key_provider=keys,
    )


def team_in_cache(context: AppContext) -> set[str]:
    with context.cache.read() as session:
        return set(session.scalars(select(ParticipantRow.participant_id)))


def test_sync_fills_the_cache_with_the_teams_caseload_and_reports_progress(
    qtbot: QtBot, running_hub: tuple[RunningHub, str], tmp_path: Path
) -> None:
    hub, db_url = running_hub
    context = client_context(tmp_path / "client", hub.url)
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    phases: list[str] = []
    controller.progress.connect(lambda phase, done, total: phases.append(phase))
    with qtbot.waitSignal(controller.started):
        assert controller.sync_now()
    assert controller.is_running
    assert not controller.sync_now()  # one sync at a time
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        pass
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    assert not controller.is_running
    assert team_in_cache(context) == hub_team_participants(db_url)
    assert report.pulled_total >= len(hub_team_participants(db_url))
    assert {"sign_in", "pull", "done"} <= set(phases)
    context.cache.close()


def test_consent_recorded_in_the_dialog_reaches_the_hub_at_the_next_sync(
    qtbot: QtBot, running_hub: tuple[RunningHub, str], tmp_path: Path
) -> None:
    hub, db_url = running_hub
    context = client_context(tmp_path / "client", hub.url)
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS):
        controller.sync_now()
    participant_id = sorted(team_in_cache(context))[5]
    dialog = RecordConsentDialog(context, participant_id)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(dialog.scope.findData(ConsentScope.CARRIER_STATUS))
    dialog.decision.setCurrentIndex(dialog.decision.findData(Decision.DECLINED))
    dialog.method.setCurrentIndex(dialog.method.findData(Method.VIDEO))
    if not dialog.save_button.isEnabled():
        pytest.fail(f"the synthetic participant cannot take this decision: {dialog.problem.text()}")
    with qtbot.waitSignal(dialog.recorded) as recorded:
        dialog.save_button.click()
    decision_id = recorded.args[0]

    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        controller.sync_now()
    assert blocker.args[0].applied == 1
    on_hub = [d for d in hub_decisions(db_url, participant_id) if d["decision_id"] == decision_id]
    assert len(on_hub) == 1
    assert (on_hub[0]["scope"], on_hub[0]["decision"], on_hub[0]["method"]) == (
        "carrier_status", "declined", "video"
    )
    assert on_hub[0]["recorded_by"] == USER
    context.cache.close()


def test_unreachable_hub_fails_with_a_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    context = client_context(tmp_path / "client", "http://127.0.0.1:9")
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        controller.sync_now()
    message = blocker.args[0]
    assert message.startswith("Could not sync: could not connect to the hub")
    assert "Traceback" not in message
    assert controller.last_error == message
    context.cache.close()


def test_revoked_device_is_told_to_wipe(
    qtbot: QtBot, running_hub: tuple[RunningHub, str], tmp_path: Path
) -> None:
    hub, _db_url = running_hub
    context = client_context(tmp_path / "client", hub.url)
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS):
        controller.sync_now()
    Accounts(hub.hub.db, hub.hub.settings).revoke_device(device_id(context.profile))
    with qtbot.waitSignals([controller.failed, controller.wipe_ordered], timeout=WAIT_MS):
        controller.sync_now()
    assert "revoked this device" in (controller.last_error or "")
    assert not context.profile.cache_file.exists()


def test_periodic_sync_follows_the_settings_interval(qtbot: QtBot, tmp_path: Path) -> None:
    context = client_context(tmp_path / "client", "http://127.0.0.1:9")
    controller = SyncController(context, options=quick_options())
    assert controller._timer.interval() == 5 * 60_000
    controller.set_interval_minutes(2)
    assert controller._timer.interval() == 2 * 60_000
    controller.start_periodic(sync_now=False)
    assert controller._timer.isActive()
    controller.shutdown()
    assert not controller._timer.isActive()
    context.cache.close()


def test_result_marked_reviewed_in_the_dialog_reaches_the_hub_at_the_next_sync(
    qtbot: QtBot, running_hub: tuple[RunningHub, str], tmp_path: Path
) -> None:
    hub, db_url = running_hub
    context = client_context(tmp_path / "client", hub.url)
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS):
        controller.sync_now()
    with context.cache.read() as session:
        result_id = session.scalars(
            select(ResultRow.result_id)
            .where(ResultRow.counsellor_state == "new", ResultRow.superseded_by.is_(None))
            .order_by(ResultRow.result_id)
        ).first()
    assert result_id is not None
    dialog = ResultProgressDialog(context, result_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.updated):
        dialog.save_button.click()
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        controller.sync_now()
    assert blocker.args[0].applied == 1
    assert hub_result_body(db_url, result_id)["counsellor_state"] == "reviewed"
    context.cache.close()


def test_request_declined_in_the_dialog_reaches_the_hub_with_its_response(
    qtbot: QtBot, running_hub: tuple[RunningHub, str], tmp_path: Path
) -> None:
    hub, db_url = running_hub
    context = client_context(tmp_path / "client", hub.url)
    controller = SyncController(context, options=quick_options(), password=lambda: PASSWORD)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS):
        controller.sync_now()
    with context.cache.read() as session:
        request_id = session.scalars(
            select(RequestRow.request_id)
            .where(RequestRow.status.in_(("under_review", "awaiting_patient")))
            .order_by(RequestRow.request_id)
        ).first()
    assert request_id is not None, "the synthetic caseload has no undecided request"
    dialog = RespondToRequestDialog(context, request_id)
    qtbot.addWidget(dialog)
    dialog.step.setCurrentIndex(dialog.step.findData(RequestStatus.DECLINED))
    qtbot.keyClicks(dialog.response, "The family have decided not to take part.")
    with qtbot.waitSignal(dialog.responded):
        dialog.save_button.click()
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        controller.sync_now()
    assert blocker.args[0].applied == 1
    body = hub_request_body(db_url, request_id)
    assert (body["status"], body["response"]) == (
        "declined", "The family have decided not to take part."
    )
    context.cache.close()


def test_an_unexpected_failure_is_a_sentence_and_logs_no_message_text(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    identifying = "Ŵyn O'Brien 999 000 0018"

    def job(progress: object, cancel: threading.Event) -> None:
        raise RuntimeError(identifying)  # e.g. a database error quoting a row

    background = BackgroundJob(job)
    with qtbot.waitSignal(background.signals.failed) as blocker:
        background.start()
    assert blocker.args == [UNEXPECTED]
    assert "RuntimeError" in caplog.text
    assert "O'Brien" not in caplog.text and "999 000 0018" not in caplog.text
