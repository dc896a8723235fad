"""Start-up order: the sign-in dialog paints before the cache and sync code is loaded, and that
code is loaded on a thread while the dialog waits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
