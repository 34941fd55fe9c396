import { existsSync } from 'node:fs';

/**
 * Where Debian's `eatmydata` package puts the library that turns fsync, fdatasync, sync and
 * O_SYNC into no-ops for a process it is preloaded into.
 */
const EATMYDATA_LIBRARIES = ['/usr/lib/x86_64-linux-gnu/libeatmydata.so', '/usr/lib/aarch64-linux-gnu/libeatmydata.so', '/usr/lib/libeatmydata.so'];

/**
 * The environment that runs a process with its fsyncs skipped, or undefined when libeatmydata is
 * not installed (`apt-get install eatmydata`). A bench uses it to split a figure into what the
 * durability codesync promises costs and what the rest does: rsync makes nothing durable, so a
 * codesync figure without fsync is the one that compares like with like. Never for a real run.
 */
export function noFsyncEnv(): Record<string, string> | undefined {
  const library = EATMYDATA_LIBRARIES.find((path) => existsSync(path));
  return library ? { LD_PRELOAD: library } : undefined;
}
