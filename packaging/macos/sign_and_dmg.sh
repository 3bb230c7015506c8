#!/usr/bin/env bash
# Sign, notarize and package "Migo Desktop.app" as a .dmg (macOS only; run by packaging/build.py when
# MACOS_SIGN_IDENTITY is set, or by hand):
#
#   MACOS_SIGN_IDENTITY="Developer ID Application: Nombre (TEAMID)" \
#   MACOS_NOTARY_PROFILE=migo-notary \
#   bash packaging/macos/sign_and_dmg.sh "dist/Migo Desktop.app"
#
# Credentials (none is ever written to the repository or the log):
#   MACOS_SIGN_IDENTITY   a "Developer ID Application" identity in the keychain; "-" signs ad hoc (local
#                         test only: Gatekeeper will still refuse it on another Mac).
#   MACOS_NOTARY_PROFILE  a notarytool keychain profile (`xcrun notarytool store-credentials`), or else
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password). Without them the .dmg is
#                         signed but not notarized, and the script says so.
# Output: dist/MigoDesktop-<version>-macos-<arch>.dmg, signed, notarized and stapled.
set -euo pipefail

APP=${1:?usage: sign_and_dmg.sh "dist/Migo Desktop.app"}
IDENTITY=${MACOS_SIGN_IDENTITY:?set MACOS_SIGN_IDENTITY}
HERE=$(cd "$(dirname "$0")" && pwd)
ENTITLEMENTS="$HERE/entitlements.plist"
VERSION=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist")
ARCH=$(uname -m)
DIST=$(cd "$(dirname "$APP")" && pwd)
DMG="$DIST/MigoDesktop-$VERSION-macos-$ARCH.dmg"

sign() {
    codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$IDENTITY" "$@"
}

echo "Firmando las bibliotecas dentro de $APP ..."
# Inside out: every Mach-O file that is not one of the two executables, then the executables, then the app.
while IFS= read -r -d '' file; do
    if file -b "$file" | grep -q "Mach-O"; then
        sign "$file"
    fi
done < <(find "$APP/Contents" -type f ! -path "*/Contents/MacOS/migo-desktop" ! -path "*/Contents/MacOS/migo" -print0)
sign "$APP/Contents/MacOS/migo"
sign "$APP/Contents/MacOS/migo-desktop"
sign "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"

echo "Armando $DMG ..."
STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
rm -f "$DMG"
hdiutil create -volname "Migo Desktop" -srcfolder "$STAGING" -ov -format UDZO "$DMG"
codesign --force --timestamp --sign "$IDENTITY" "$DMG"

if [[ -n "${MACOS_NOTARY_PROFILE:-}" ]]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
elif [[ -n "${APPLE_ID:-}" && -n "${APPLE_TEAM_ID:-}" && -n "${APPLE_APP_PASSWORD:-}" ]]; then
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
else
    echo "AVISO: sin credenciales de notarización; $DMG está firmado pero no notarizado."
    exit 0
fi
xcrun stapler staple "$DMG"
spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
echo "Listo: $DMG"
