"""Synthetic caseloads for the demo, the hub's seed command, tests and benchmarks."""

from counsellor_app.demo.identifiers import identifying_strings
from counsellor_app.demo.places import DEFAULT_TEAMS, TEAM_GLH, TEAM_NAMES, team_glh, team_name
from counsellor_app.demo.synthetic import Dataset, generate

__all__ = [
    "DEFAULT_TEAMS",
    "TEAM_GLH",
    "TEAM_NAMES",
    "Dataset",
    "generate",
    "identifying_strings",
    "team_glh",
    "team_name",
]
