#!/bin/sh
# Remove isms-desktop installed by install.sh (copied to PREFIX/lib/isms-desktop/uninstall.sh):
#
#     ~/.local/lib/isms-desktop/uninstall.sh
#     ./uninstall.sh --prefix DIR      # if it was installed with --prefix DIR
#
# Your project files (*.isms), settings and logs are left alone.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
# Installed copy: PREFIX/lib/isms-desktop/uninstall.sh; otherwise the default ~/.local.
if [ "$(basename "$HERE")" = isms-desktop ] && [ "$(basename "$(dirname "$HERE")")" = lib ]; then
  PREFIX="$(dirname "$(dirname "$HERE")")"
else
  PREFIX="$HOME/.local"
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$PREFIX" = "$HOME/.local" ]; then
  DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
else
  DATA="$PREFIX/share"
fi
APPDIR="$PREFIX/lib/isms-desktop"
BINDIR="$PREFIX/bin"

if [ ! -x "$APPDIR/isms-desktop" ]; then
  echo "uninstall.sh: isms-desktop is not installed in $APPDIR" >&2
  exit 2
fi
echo "removing isms-desktop from $APPDIR"

# The command, only if it is ours.
if [ -L "$BINDIR/isms-desktop" ] && [ "$(readlink "$BINDIR/isms-desktop")" = "$APPDIR/isms-desktop" ]; then
  rm -f "$BINDIR/isms-desktop"
fi
rm -f "$DATA/applications/isms-desktop.desktop" "$DATA/mime/packages/isms-desktop.xml"
for dir in "$DATA"/icons/hicolor/*; do
  rm -f "$dir"/apps/isms-desktop.png "$dir"/apps/isms-desktop.svg \
        "$dir"/mimetypes/application-x-isms-project.png "$dir"/mimetypes/application-x-isms-project.svg
done

if command -v update-mime-database >/dev/null 2>&1 && [ -d "$DATA/mime/packages" ]; then
  update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$DATA/applications" ]; then
  update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" >/dev/null 2>&1 || true
fi

# Last: the program itself. This script lives in it; the shell keeps reading it from the open
# file after it is deleted.
rm -rf "$APPDIR"
echo "isms-desktop is removed; your project files, settings and logs are kept"
