import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { NodeReport } from '../../protocol/api.js';
import { CodesyncError } from '../../protocol/errors.js';
import { readdirOrEmpty, type DurableFs } from '../store/durable-fs.js';
import { KeyedMutex } from '../store/locks.js';

export interface NodeState {
  node: string;
  report: NodeReport;
  /** When the server received the report (RFC 3339). */
  receivedAt: string;
}

/** Kubernetes node names are DNS subdomains; this also keeps them safe as file names. */
const NODE_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;

export function assertNodeName(node: string): void {
  if (!NODE_NAME_RE.test(node) || node.includes('..')) throw new CodesyncError('INVALID_REQUEST', `invalid node name ${JSON.stringify(node)}`);
}

/**
 * The latest report of each node, in memory and persisted best-effort to `nodes/<node>.json`:
 * after a restart the rollout view (and lag of silent nodes) survives until agents report again.
 */
export class NodeRegistry {
  private readonly nodes = new Map<string, NodeState>();
  /** Emits `change` after each report, so status requests waiting on a rollout look again. */
  readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly writes = new KeyedMutex();
  private readonly dir: string;

  constructor(
    private readonly fs: DurableFs,
    private readonly logger: Logger,
  ) {
    this.dir = join(fs.dataDir, 'nodes');
  }

  async init(): Promise<void> {
    for (const file of await readdirOrEmpty(this.dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const state = JSON.parse(await readFile(join(this.dir, file), 'utf8')) as NodeState;
        this.nodes.set(state.node, state);
      } catch (err) {
        this.logger.warn({ file, err }, 'ignoring unreadable node report');
      }
    }
  }

  put(node: string, report: NodeReport): NodeState {
    assertNodeName(node);
    const state: NodeState = { node, report, receivedAt: new Date().toISOString() };
    this.nodes.set(node, state);
    this.changes.emit('change', node);
    // Persisting is best-effort: the next report repairs a lost write; writes per node stay ordered.
    void this.writes
      .run(node, () => this.fs.writeFile(join(this.dir, `${node}.json`), JSON.stringify(this.nodes.get(node))))
      .catch((err: unknown) => this.logger.warn({ node, err }, 'could not persist node report'));
    return state;
  }

  all(): NodeState[] {
    return [...this.nodes.values()];
  }
}
