#!/bin/sh
# Install isms-desktop for the current user, from the unpacked release folder:
#
#     ./install.sh                 # into ~/.local (no root needed)
#     ./install.sh --prefix DIR    # elsewhere, e.g. sudo ./install.sh --prefix /usr/local
#
# Puts the program in PREFIX/lib/isms-desktop, a command in PREFIX/bin, the menu entry, the
# icons and the file type (*.isms opens with isms-desktop) in the data folder
# (${XDG_DATA_HOME:-~/.local/share} for ~/.local, else PREFIX/share).
# Run it again to update; PREFIX/lib/isms-desktop/uninstall.sh removes it all again.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
if [ "$PREFIX" = "$HOME/.local" ]; then
  DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
else
  DATA="$PREFIX/share"
fi
APPDIR="$PREFIX/lib/isms-desktop"
BINDIR="$PREFIX/bin"

if [ ! -x "$HERE/isms-desktop/isms-desktop" ]; then
  echo "install.sh: $HERE/isms-desktop/isms-desktop is missing; unpack the whole archive first" >&2
  exit 3
fi

echo "installing isms-desktop into $APPDIR"
mkdir -p "$PREFIX/lib" "$BINDIR" "$DATA/applications" "$DATA/mime/packages"
# Copy beside the old version, then swap, so that a failed copy leaves the old one working.
rm -rf "$APPDIR.new"
cp -R "$HERE/isms-desktop" "$APPDIR.new"
cp "$HERE/uninstall.sh" "$APPDIR.new/uninstall.sh"
chmod 755 "$APPDIR.new/uninstall.sh"
rm -rf "$APPDIR.old"
[ -e "$APPDIR" ] && mv "$APPDIR" "$APPDIR.old"
mv "$APPDIR.new" "$APPDIR"
rm -rf "$APPDIR.old"
ln -sf "$APPDIR/isms-desktop" "$BINDIR/isms-desktop"

# The menu entry, with the full path so that it works even when BINDIR is not on PATH.
exec_path="$APPDIR/isms-desktop"
case "$exec_path" in *" "*) exec_path="\"$exec_path\"" ;; esac
sed "s|^Exec=isms-desktop |Exec=$exec_path |" \
  "$HERE/share/applications/isms-desktop.desktop" > "$DATA/applications/isms-desktop.desktop"
chmod 644 "$DATA/applications/isms-desktop.desktop"

# Icons: the application, and the same picture for its project files.
for dir in "$HERE"/share/icons/hicolor/*/apps; do
  size="$(basename "$(dirname "$dir")")"
  mkdir -p "$DATA/icons/hicolor/$size/apps" "$DATA/icons/hicolor/$size/mimetypes"
  for icon in "$dir"/isms-desktop.*; do
    ext="${icon##*.}"
    cp "$icon" "$DATA/icons/hicolor/$size/apps/isms-desktop.$ext"
    cp "$icon" "$DATA/icons/hicolor/$size/mimetypes/application-x-isms-project.$ext"
  done
done

cp "$HERE/share/mime/packages/isms-desktop.xml" "$DATA/mime/packages/isms-desktop.xml"

# Refresh the desktop's caches; each tool is optional (the desktop also rescans by itself).
if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" >/dev/null 2>&1 || true
fi
touch "$DATA/icons/hicolor" 2>/dev/null || true
# Double-clicking a .isms file opens isms-desktop (for this user only).
if [ "$PREFIX" = "$HOME/.local" ] && command -v xdg-mime >/dev/null 2>&1; then
  xdg-mime default isms-desktop.desktop application/x-isms-project >/dev/null 2>&1 || true
fi

echo "installed: start isms-desktop from the applications menu, or run $BINDIR/isms-desktop"
case ":$PATH:" in
  *":$BINDIR:"*) ;;
  *) echo "note: $BINDIR is not on your PATH; add it to use the isms-desktop command" ;;
esac
echo "to remove it again: $APPDIR/uninstall.sh"
