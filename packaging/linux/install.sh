#!/usr/bin/env bash
# Installs a built bundle with its desktop integration (menu entry, icons, AppStream metadata).
#
#   packaging/linux/install.sh [BUNDLE_DIR] [PREFIX]
#
# BUNDLE_DIR defaults to dist/counsellor-app (from packaging/build.py); PREFIX to /usr/local
# (system-wide, as root), or ~/.local for one user.
# DESTDIR is honoured for staging into a package root. Safe to run again (replaces the bundle).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id=org.counsellordesk.CounsellorDesk
bundle="${1:-$here/../../dist/counsellor-app}"
prefix="${2:-/usr/local}"
root="${DESTDIR:-}$prefix"

if [ ! -x "$bundle/counsellor-app" ]; then
  echo "install.sh: no bundle at $bundle (build it with packaging/build.py first)" >&2
  exit 2
fi

install -d -m 0755 "$root/lib" "$root/bin" "$root/share/applications" "$root/share/metainfo"
rm -rf "$root/lib/counsellor-desk.new"
cp -a "$bundle" "$root/lib/counsellor-desk.new"
rm -rf "$root/lib/counsellor-desk"
mv "$root/lib/counsellor-desk.new" "$root/lib/counsellor-desk"
ln -sfn "$prefix/lib/counsellor-desk/counsellor-app" "$root/bin/counsellor-app"

install -m 0644 "$here/$app_id.desktop" "$root/share/applications/$app_id.desktop"
install -m 0644 "$here/$app_id.metainfo.xml" "$root/share/metainfo/$app_id.metainfo.xml"
(cd "$here/icons" && find hicolor -type f) | while read -r icon; do
  install -D -m 0644 "$here/icons/$icon" "$root/share/icons/$icon"
done

if [ -z "${DESTDIR:-}" ]; then  # refresh the caches of a live system (absent tools are fine)
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
fi
echo "Installed Counsellor Desk in $root (run: $prefix/bin/counsellor-app)"
