"""Start-up order: the sign-in dialog paints before the cache and sync code is loaded, and that
code is loaded on a thread while the dialog waits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from counsellor_app.ui import app
from counsellor_app.ui.dialogs import sign_in  # everything the dialog needs to paint
heavy = ("sqlalchemy", "httpx", "counsellor_app.store.engine")
before = sorted(m for m in heavy if m in sys.modules)
app.warm_imports(app.AFTER_SIGN_IN).join(120)
after = [m for m in app.AFTER_SIGN_IN + ("sqlalchemy",) if m not in sys.modules]
print(json.dumps({"before": before, "missing_after": after}))
"""


def _probe() -> dict[str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=180,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_sign_in_paints_without_database_or_http_code_which_loads_while_it_waits() -> None:
    found = _probe()
    assert found["before"] == []
    assert found["missing_after"] == []


RETURNING = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from counsellor_app.store.paths import Profile
from counsellor_app.ui.dialogs.sign_in import SignInDialog
app = QApplication([])
profile = Profile.at(sys.argv[1])
dialog = SignInDialog(profile)
dialog.show()
app.processEvents()
heavy = ("keyring", "sqlalchemy", "httpx", "argon2", "counsellor_app.letters.letterhead")
print(json.dumps({"loaded": sorted(m for m in heavy if m in sys.modules),
                  "note": dialog.key_note.text()}))
"""


def test_a_returning_users_sign_in_paints_before_the_credential_store_is_loaded(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "cache.db").write_bytes(b"")  # a cache exists, no key file beside it
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", RETURNING, str(profile)], env=env, capture_output=True,
        text=True, timeout=180, check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"loaded": [],
                     "note": "The cache key is kept in the system credential store."}
