#!/bin/sh
# Installs Migo Desktop for the current user from the unpacked .tar.xz (no root needed):
#   tar -xJf migo-desktop-*-linux-x86_64.tar.xz && migo-desktop/install.sh
# Copies the folder to ~/.local/opt/migo-desktop, links `migo-desktop` and `migo` into ~/.local/bin, and
# adds the menu entry and icon. `install.sh --uninstall` removes them (your data and settings stay).
set -eu
APP_ID=pe.migo.MigoDesktop
SRC=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
DEST=$HOME/.local/opt/migo-desktop
BIN=$HOME/.local/bin
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$DEST" "$BIN/migo-desktop" "$BIN/migo" "$DATA/applications/$APP_ID.desktop" \
        "$DATA/metainfo/$APP_ID.metainfo.xml" "$DATA/icons/hicolor/256x256/apps/$APP_ID.png"
    echo "Migo Desktop desinstalado (tus datos y preferencias se conservan)."
    exit 0
fi
if [ "$SRC" != "$DEST" ]; then
    rm -rf "$DEST"
    mkdir -p "$(dirname "$DEST")"
    cp -a "$SRC" "$DEST"
fi
mkdir -p "$BIN" "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/256x256/apps"
ln -sf "$DEST/migo-desktop" "$BIN/migo-desktop"
ln -sf "$DEST/migo" "$BIN/migo"
sed "s|^Exec=.*|Exec=$DEST/migo-desktop|" "$DEST/share/applications/$APP_ID.desktop" \
    > "$DATA/applications/$APP_ID.desktop"
cp "$DEST/share/metainfo/$APP_ID.metainfo.xml" "$DATA/metainfo/"
cp "$DEST/share/icons/hicolor/256x256/apps/$APP_ID.png" "$DATA/icons/hicolor/256x256/apps/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
echo "Migo Desktop instalado en $DEST. Ábrelo desde el menú de aplicaciones o con: migo-desktop"
