"""Opening the profile's cache from a command line (passphrase from the environment or typed)."""

from __future__ import annotations

import argparse
import getpass
import sys

from counsellor_app.store.engine import Cache, open_cache
from counsellor_app.store.keys import KeyProvider, PassphrasePurpose
from counsellor_app.store.paths import Profile


def ask_passphrase(purpose: PassphrasePurpose) -> str:
    """Ask on the terminal; with no terminal, give nothing (the key provider then explains)."""
    if not sys.stdin.isatty():
        return ""
    if purpose is PassphrasePurpose.CREATE:
        first = getpass.getpass("Choose a passphrase to protect the cache key: ")
        if first != getpass.getpass("Type it again: "):
            return ""
        return first
    return getpass.getpass("Passphrase for the cache: ")


def profile_of(args: argparse.Namespace) -> Profile:
    return Profile.from_option(getattr(args, "profile", None))


def key_provider_for(profile: Profile) -> KeyProvider:
    return KeyProvider(profile, passphrase=ask_passphrase)


def open_profile_cache(args: argparse.Namespace, *, create: bool = False) -> Cache:
    """The cache of ``--profile`` (or the default profile); a missing cache is a clear error."""
    profile = profile_of(args)
    return open_cache(profile, key_provider_for(profile), create=create)
