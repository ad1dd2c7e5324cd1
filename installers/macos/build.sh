#!/usr/bin/env bash
# Build the macOS release on a Mac: isms-desktop.app (PyInstaller) in a .dmg with a link to
# /Applications, so that users drag the program there.
#
#     installers/macos/build.sh [--out DIR]
#
# Needs: Xcode command line tools (iconutil, hdiutil, codesign), Python 3.11+ with the
# development environment (.venv with the test extras: PyInstaller; or set PYTHON).
# Signing and notarisation (optional, recommended: Gatekeeper warns about unsigned apps):
#     CODESIGN_IDENTITY="Developer ID Application: NAME (TEAMID)"   signs the .app and the .dmg
#     NOTARY_PROFILE=PROFILE   notarises with `xcrun notarytool` (stored credentials) and staples
# The architecture is the Python's (arm64 or x86_64); build once on each kind of Mac.
# Output: DIR/isms-desktop-X.Y.Z-macos-ARCH.dmg
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$ROOT/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
VERSION="$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import isms_desktop; print(isms_desktop.__version__)' "$ROOT")"
ARCH="$("$PY" -c 'import platform; print(platform.machine())')"
WORK="$(mktemp -d -t isms-build)"
trap 'rm -rf "$WORK"' EXIT

echo "== icon"
"$PY" "$ROOT/installers/render_icons.py" --iconset "$WORK/isms-desktop.iconset"
iconutil -c icns -o "$WORK/isms-desktop.icns" "$WORK/isms-desktop.iconset"

echo "== PyInstaller (isms-desktop.app)"
ISMS_ICON_ICNS="$WORK/isms-desktop.icns" "$PY" -m PyInstaller --noconfirm --clean \
  --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/build" \
  "$ROOT/installers/isms-desktop.spec"
APP="$WORK/dist/isms-desktop.app"
"$APP/Contents/MacOS/isms-desktop" --version

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  echo "== signing"
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict "$APP"
fi

echo "== disk image"
DMG="$OUT/isms-desktop-$VERSION-macos-$ARCH.dmg"
mkdir -p "$WORK/dmg"
cp -R "$APP" "$WORK/dmg/"
ln -s /Applications "$WORK/dmg/Applications"
rm -f "$DMG"
hdiutil create -volname "isms-desktop $VERSION" -srcfolder "$WORK/dmg" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$DMG"
  if [ -n "${NOTARY_PROFILE:-}" ]; then
    echo "== notarisation"
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi
echo "disk image: $DMG ($(du -sm "$DMG" | cut -f1) MB)"
