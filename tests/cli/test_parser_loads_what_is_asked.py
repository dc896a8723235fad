"""The command line loads only the code of the command asked for (the desktop app's start
loads none), while help, errors and every subcommand behave as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from counsellor_app.cli import COMMAND_MODULES, build_parser, command_module, commands_to_load

PROBE = """
import json, sys
from counsellor_app.cli import build_parser
build_parser(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules
                        if m.startswith("counsellor_app.commands.") or m == "sqlalchemy")))
"""


def _modules_loaded_for(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120,
        check=True, env=dict(os.environ),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_desktop_start_loads_no_command_module_nor_the_cache_layer() -> None:
    assert _modules_loaded_for("--profile", "/tmp/somewhere", "--verbose") == []


def test_a_subcommand_loads_its_own_module_only() -> None:
    assert _modules_loaded_for("--profile", "cases", "check") == [
        "counsellor_app.commands.cache_access", "counsellor_app.commands.check", "sqlalchemy",
    ]


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        ([], ()),
        (["--demo", "--participants", "50"], ()),
        (["--screenshot", "check"], ()),  # the value of an option, not the command
        (["cases", "--search", "sync"], ("cases",)),
        (["--profile", "p", "demo-cache", "--participants", "80"], ("demo_cache",)),
        (["--help"], COMMAND_MODULES),
        (["letter", "-h"], COMMAND_MODULES),
        (["no-such-command"], COMMAND_MODULES),
        (["--participants", "many"], COMMAND_MODULES),
    ],
)
def test_commands_to_load_follow_the_command_line(argv: list[str], wanted: tuple[str, ...]) -> None:
    assert commands_to_load(argv) == wanted


def test_every_command_module_is_named_after_its_command() -> None:
    parser = build_parser(["--help"])
    subparsers = next(a for a in parser._actions if a.dest == "command")
    names = list(subparsers.choices)  # type: ignore[union-attr]
    assert [command_module(name) for name in names] == list(COMMAND_MODULES)


def test_an_unknown_command_is_refused_with_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser(["nope"]).parse_args(["nope"])
    assert exited.value.code == 2
    assert "choose from 'check', 'letter', 'cases'" in capsys.readouterr().err


def test_the_version_and_a_wrong_option_are_each_said_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from counsellor_app import __version__
    from counsellor_app.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"Counsellor Desk {__version__}\n"
    with pytest.raises(SystemExit) as exited:
        main(["--screenshot-view", "nowhere"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.count("error:") == 1
