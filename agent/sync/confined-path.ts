import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { CodesyncError } from '../../protocol/errors.js';
import { parentsOf, pathProblem } from '../../protocol/paths.js';
import { isMissing } from '../../protocol/runtime/durable-write.js';

/**
 * The runtime guard for filesystem operations under one release tree: a path is handed out only
 * when it is a valid relative entry path and none of its parents below the tree is a symlink or
 * anything but a directory, so no write, removal or read passes through a link to somewhere
 * else on the node. The manifest check closes the class before a build; this guard holds even
 * when the tree on disk was changed behind the agent's back. Directories already seen are
 * remembered, so a 100 000-file tree costs one lstat per directory, not per file and parent.
 * The lstats are synchronous: a few microseconds of CPU each, where a thread-pool trip cost
 * ~40 (a one-file change deep in a tree made three on a sync's critical path).
 */
export class ConfinedDir {
  readonly dir: string;
  /** Parents (relative) known to be real directories. */
  private readonly checked = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * The absolute path of `path` inside the tree; UNSAFE_PATH when it would leave it or pass
   * through a symlink. Missing parents are fine: whatever creates them makes real directories.
   */
  async resolve(path: string): Promise<string> {
    const problem = pathProblem(path);
    if (problem) throw new CodesyncError('UNSAFE_PATH', `refused ${JSON.stringify(path)} under ${this.dir}: the path ${problem}`);
    for (const parent of parentsOf(path)) {
      if (this.checked.has(parent)) continue;
      let stats;
      try {
        stats = lstatSync(join(this.dir, parent));
      } catch (err) {
        if (isMissing(err)) break;
        throw err;
      }
      if (!stats.isDirectory()) {
        const kind = stats.isSymbolicLink() ? 'a symlink' : 'not a directory';
        throw new CodesyncError('UNSAFE_PATH', `refused ${JSON.stringify(path)} under ${this.dir}: its parent ${JSON.stringify(parent)} is ${kind}`);
      }
      this.checked.add(parent);
    }
    return join(this.dir, path);
  }

  /** Forgets `path` and everything under it (it was removed or replaced). */
  forget(path: string): void {
    const prefix = `${path}/`;
    for (const known of this.checked) if (known === path || known.startsWith(prefix)) this.checked.delete(known);
  }
}
