import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseDelta } from '../../protocol/api.js';
import type { ManifestDelta } from '../../protocol/delta.js';
import { readdirOrEmpty, type DurableFs } from './durable-fs.js';
import type { ReleaseHeader } from './records.js';

const NAME = /^(\d+)-from-(\d+)\.json$/;

/**
 * Manifest deltas as files, `apps/<app>/releases/deltas/<seq>-from-<base>.json`, each the exact
 * body of `GET .../releases/<seq>/manifest?base=<base>`: written once (the step from the previous
 * release at publish, any other step the first time a node asks for it), then served as a static
 * file to every node making that step. Written like records (temp, fsync, rename), so a file
 * under its name is always whole; a lost one is only made again.
 */
export class DeltaFiles {
  /** Deltas being made, by path: nodes asking for the same step at once share one computation. */
  private readonly making = new Map<string, Promise<string>>();

  constructor(
    private readonly fs: DurableFs,
    private readonly dirOf: (app: string) => string,
  ) {}

  path(app: string, seq: number, base: number): string {
    return join(this.dirOf(app), `${seq}-from-${base}.json`);
  }

  async write(delta: ReleaseDelta): Promise<void> {
    await this.fs.writeFile(this.path(delta.app, delta.seq, delta.base), JSON.stringify(delta));
  }

  /** The delta's file, made with `compute` when it is not there yet. */
  async ensure(app: string, seq: number, base: number, compute: () => Promise<ReleaseDelta>): Promise<string> {
    const path = this.path(app, seq, base);
    if (await exists(path)) return path;
    let making = this.making.get(path);
    if (!making) {
      making = (async () => {
        await this.write(await compute());
        return path;
      })().finally(() => this.making.delete(path));
      this.making.set(path, making);
    }
    return making;
  }

  /** Removes every delta from or to one of `seqs` (their releases were pruned). */
  async remove(app: string, seqs: ReadonlySet<number>): Promise<void> {
    await this.removeWhere(app, (seq, base) => seqs.has(seq) || seqs.has(base));
  }

  /** Removes every delta from or to a seq not among `retained` (at start: see ReleaseStore.appendRelease). */
  async removeExcept(app: string, retained: ReadonlySet<number>): Promise<void> {
    await this.removeWhere(app, (seq, base) => !retained.has(seq) || !retained.has(base));
  }

  private async removeWhere(app: string, doomed: (seq: number, base: number) => boolean): Promise<void> {
    for (const name of await readdirOrEmpty(this.dirOf(app))) {
      const match = NAME.exec(name);
      if (!match || !doomed(Number(match[1]), Number(match[2]))) continue;
      await unlink(join(this.dirOf(app), name)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** The body of `GET .../releases/<seq>/manifest?base=<base>` for the step from `base` to `record`. */
export function deltaBody(record: ReleaseHeader, base: number, delta: ManifestDelta): ReleaseDelta {
  const body: ReleaseDelta = { app: record.app, seq: record.seq, base, digest: record.digest, ...delta };
  if (record.signature) body.signature = record.signature;
  return body;
}
