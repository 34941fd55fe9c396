#!/usr/bin/env bash
# Run by `npm test` after tsc: tsc never deletes output, so a test renamed, moved or deleted in
# test/ would still run from its old dist/ copy. Removes compiled tests whose source is gone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist/test ] || exit 0
# (*.unit.js too: units.test.js imports every one it finds.)
find dist/test -name '*.test.js' -o -name '*.unit.js' | while read -r compiled; do
  source=${compiled#dist/}
  [ -e "${source%.js}.ts" ] || rm -f "$compiled" "$compiled.map"
done
