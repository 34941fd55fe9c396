import { CodesyncError } from './errors.js';

/** What a node of a PathTree is. An implied dir is a parent no entry names (created 0755). */
export const NODE_KIND = { impliedDir: 0, dir: 1, file: 2, symlink: 3 } as const;
export type NodeKind = (typeof NODE_KIND)[keyof typeof NODE_KIND];

const KIND_NAMES = ['directory', 'directory', 'file', 'symlink'] as const;

/** The tree's root directory: the release directory itself. */
export const ROOT_NODE = 0;

/**
 * The directory structure a manifest describes, as numbered nodes: each path segment is
 * looked up by (parent node, name), so building it costs the total length of the paths, never
 * a lookup per ancestor of every entry (a deep path would make that quadratic). It holds only
 * numbers and the entries' own strings, and lives while one manifest is validated.
 *
 * Adding entries enforces the structural rules: no path twice, nothing beneath a file or a
 * symlink.
 */
export class PathTree {
  private readonly parents: number[] = [-1];
  private readonly kinds: NodeKind[] = [NODE_KIND.dir];
  private readonly names: string[] = [''];
  /** `<parent node>/<name>` → node; a name holds no `/`, so the key is unambiguous. */
  private readonly children = new Map<string, number>();
  private readonly targets = new Map<number, string>();

  /** Adds an entry whose path is already valid (paths.ts); throws DUPLICATE_PATH or PATH_CONFLICT. */
  add(path: string, kind: Exclude<NodeKind, 0>, target?: string): number {
    let node = ROOT_NODE;
    let start = 0;
    for (;;) {
      const slash = path.indexOf('/', start);
      const name = slash === -1 ? path.slice(start) : path.slice(start, slash);
      const key = `${node}/${name}`;
      const existing = this.children.get(key);
      if (slash === -1) {
        if (existing === undefined) return this.create(key, node, name, kind, target);
        if (this.kinds[existing] !== NODE_KIND.impliedDir) throw new CodesyncError('DUPLICATE_PATH', `path ${JSON.stringify(path)} appears more than once`);
        if (kind !== NODE_KIND.dir) throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} is a ${KIND_NAMES[kind]}, but other entries lie under it`);
        this.kinds[existing] = NODE_KIND.dir;
        return existing;
      }
      if (existing === undefined) node = this.create(key, node, name, NODE_KIND.impliedDir);
      else if (this.kinds[existing] === NODE_KIND.file || this.kinds[existing] === NODE_KIND.symlink) {
        throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} lies under ${JSON.stringify(this.pathOf(existing))}, which is a ${KIND_NAMES[this.kinds[existing]!]}`);
      } else node = existing;
      start = slash + 1;
    }
  }

  /** The node named `name` in directory `node`, or undefined. */
  child(node: number, name: string): number | undefined {
    return this.children.get(`${node}/${name}`);
  }

  /** The directory holding `node`; -1 for the root. */
  parent(node: number): number {
    return this.parents[node]!;
  }

  kind(node: number): NodeKind {
    return this.kinds[node]!;
  }

  /** The target of a symlink node. */
  target(node: number): string {
    return this.targets.get(node)!;
  }

  /** Every symlink node, in the order added. */
  symlinks(): IterableIterator<number> {
    return this.targets.keys();
  }

  /** The node's path from the root, for messages. */
  pathOf(node: number): string {
    const names: string[] = [];
    for (let at = node; at > ROOT_NODE; at = this.parents[at]!) names.push(this.names[at]!);
    return names.reverse().join('/');
  }

  private create(key: string, parent: number, name: string, kind: NodeKind, target?: string): number {
    const node = this.kinds.length;
    this.parents.push(parent);
    this.kinds.push(kind);
    this.names.push(name);
    this.children.set(key, node);
    if (kind === NODE_KIND.symlink) this.targets.set(node, target!);
    return node;
  }
}
