#!/usr/bin/env bash
# Builds tap's Test class with the plugins .taprc lists, when it was built with others (a fresh
# `npm ci` installs it with all of tap's defaults). `tap` would rebuild it by itself, but only
# after it has chosen its Node arguments, so the first run would still load the TypeScript loader
# into every test file; building first makes every run, the first included, start lean.
set -euo pipefail
cd "$(dirname "$0")/.."
built_matches() {
  node --input-type=module -e "
    await import('@tapjs/core'); // @tapjs/test must load after it (an import cycle)
    const { signature } = await import('@tapjs/test');
    const { TapConfig } = await import('@tapjs/config');
    const config = await TapConfig.load();
    process.exit(signature === config.pluginSignature ? 0 : 1);
  "
}
if ! built_matches; then
  npx tap build >/dev/null
fi
