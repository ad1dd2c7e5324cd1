"""Render the application icon (resources/icons/isms-desktop.svg) for the installers.

    python installers/render_icons.py --png-dir DIR        # DIR/NxN.png for the Linux hicolor theme
    python installers/render_icons.py --ico FILE.ico       # Windows: one .ico holding 16…256 px
    python installers/render_icons.py --iconset DIR.iconset  # macOS: input for ``iconutil -c icns``

Uses Qt's own SVG renderer (QtSvg, part of PySide6-Essentials), offscreen: no display needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "isms-desktop.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# macOS .iconset: (points, scale) for icon_NxN.png and icon_NxN@2x.png
ICONSET = tuple((size, scale) for size in (16, 32, 128, 256, 512) for scale in (1, 2))


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon as a transparent ``size`` x ``size`` image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("could not encode a PNG image")
    buffer.close()
    return bytes(data.data())


def write_ico(renderer: QSvgRenderer, target: Path) -> None:
    """A Windows .ico with one PNG-compressed image per size (Vista and later read these)."""
    images = [png_bytes(render(renderer, size)) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, data in zip(ICO_SIZES, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(header + entries + b"".join(images))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG)
    parser.add_argument("--png-dir", type=Path, help="write NxN.png for each hicolor size")
    parser.add_argument("--ico", type=Path, help="write a Windows .ico")
    parser.add_argument("--iconset", type=Path, help="write a macOS .iconset folder")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(args.svg))
    if not renderer.isValid():
        print(f"render_icons: {args.svg} is not a valid SVG file", file=sys.stderr)
        return 3
    if args.png_dir:
        args.png_dir.mkdir(parents=True, exist_ok=True)
        for size in HICOLOR_SIZES:
            render(renderer, size).save(str(args.png_dir / f"{size}x{size}.png"), "PNG")
    if args.ico:
        write_ico(renderer, args.ico)
    if args.iconset:
        args.iconset.mkdir(parents=True, exist_ok=True)
        for size, scale in ICONSET:
            name = f"icon_{size}x{size}{'@2x' if scale == 2 else ''}.png"
            render(renderer, size * scale).save(str(args.iconset / name), "PNG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
