#!/usr/bin/env bash
# Installs the system packages the app needs when they are missing: a Times New Roman-metric
# font with every Vietnamese letter and WeasyPrint's Pango libraries (both modes), plus
# Debian's chromium and poppler-utils for the test suite. Needs root and apt-get to install;
# otherwise says what is missing and stops.
set -euo pipefail
mode=${1:-run}

missing=()
font_ok() {
  [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] ||
    [ -f /usr/share/fonts/truetype/croscore/Tinos-Regular.ttf ]
}
font_ok || missing+=(fonts-liberation2)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
if [ "$mode" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null || missing+=(poppler-utils)
  command -v xgettext >/dev/null || missing+=(gettext)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Cài đặt gói hệ thống còn thiếu / installing missing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
cat >&2 <<MSG
Thiếu gói hệ thống / missing system packages: ${missing[*]}
Install them as root, e.g.:  sudo apt-get install ${missing[*]}
(fonts-liberation2 gives Liberation Serif 2, which covers every Vietnamese letter; the
older fonts-liberation does not. Tinos from fonts-croscore works too.)
MSG
exit 1
