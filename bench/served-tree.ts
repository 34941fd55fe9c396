import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../protocol/runtime/map-limit.js';

/** Of a fleet's trees, every how many files one is read back (a lone agent's: all of them). */
export const FLEET_SAMPLE_EVERY = 97;

/** Files read at once by a check. */
const READS_AT_ONCE = 16;

/**
 * Checks that `current` serves the bytes of the source tree: `paths` (relative to both) are read
 * under each and compared, every `every`-th of them and the last (1: all). A bench's figure ends
 * at the agent's switch, the moment its bytes are readable; this makes sure they are the right
 * ones, after the clock has stopped, so a figure is never that of a wrong tree.
 */
export async function assertServed(source: string, current: string, paths: readonly string[], every = 1): Promise<void> {
  const picked = paths.filter((_, index) => index % every === 0 || index === paths.length - 1);
  await mapLimit(picked, READS_AT_ONCE, async (path) => {
    const [want, served] = await Promise.all([readFile(join(source, path)), readFile(join(current, path))]);
    if (!served.equals(want)) throw new Error(`${current}: ${path} does not hold the published bytes`);
  });
}
