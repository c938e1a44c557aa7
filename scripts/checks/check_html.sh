#!/usr/bin/env bash
# `make check-html`: opens every demo report in headless Chromium (Debian package
# `chromium`, installed when missing), saves a laptop and a phone screenshot and a
# printed PDF next to it under reports/demo/*/browser/, and fails on any console
# message of level warning or error.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
status=0
for html in reports/demo/*/report.html; do
  dir=$(dirname "$html")/browser
  mkdir -p "$dir"
  url="file://$PWD/$html"
  flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
  chromium "${flags[@]}" --window-size=1280,2000 --screenshot="$dir/laptop.png" "$url" 2>"$dir/console.log" >/dev/null
  chromium "${flags[@]}" --window-size=390,1600 --screenshot="$dir/phone.png" "$url" 2>>"$dir/console.log" >/dev/null
  chromium "${flags[@]}" --print-to-pdf="$dir/printed.pdf" "$url" 2>>"$dir/console.log" >/dev/null
  if grep -E "CONSOLE|Uncaught|Failed to load|ERR_" "$dir/console.log"; then
    echo "FAIL $html: console messages (see $dir/console.log)"; status=1
  else
    echo "ok   $html → $dir/laptop.png, phone.png, printed.pdf"
  fi
done
exit $status
