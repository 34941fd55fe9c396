import { CodesyncError } from './errors.js';
/** What a node of a PathTree is. An implied dir is a parent no entry names (created 0755). */
export const NODE_KIND = { impliedDir: 0, dir: 1, file: 2, symlink: 3 };
const KIND_NAMES = ['directory', 'directory', 'file', 'symlink'];
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
    parents = [-1];
    kinds = [NODE_KIND.dir];
    names = [''];
    /** `<parent node>/<name>` → node; a name holds no `/`, so the key is unambiguous. */
    children = new Map();
    targets = new Map();
    /** Adds an entry whose path is already valid (paths.ts); throws DUPLICATE_PATH or PATH_CONFLICT. */
    add(path, kind, target) {
        let node = ROOT_NODE;
        let start = 0;
        for (;;) {
            const slash = path.indexOf('/', start);
            const name = slash === -1 ? path.slice(start) : path.slice(start, slash);
            const key = `${node}/${name}`;
            const existing = this.children.get(key);
            if (slash === -1) {
                if (existing === undefined)
                    return this.create(key, node, name, kind, target);
                if (this.kinds[existing] !== NODE_KIND.impliedDir)
                    throw new CodesyncError('DUPLICATE_PATH', `path ${JSON.stringify(path)} appears more than once`);
                if (kind !== NODE_KIND.dir)
                    throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} is a ${KIND_NAMES[kind]}, but other entries lie under it`);
                this.kinds[existing] = NODE_KIND.dir;
                return existing;
            }
            if (existing === undefined)
                node = this.create(key, node, name, NODE_KIND.impliedDir);
            else if (this.kinds[existing] === NODE_KIND.file || this.kinds[existing] === NODE_KIND.symlink) {
                throw new CodesyncError('PATH_CONFLICT', `path ${JSON.stringify(path)} lies under ${JSON.stringify(this.pathOf(existing))}, which is a ${KIND_NAMES[this.kinds[existing]]}`);
            }
            else
                node = existing;
            start = slash + 1;
        }
    }
    /** The node named `name` in directory `node`, or undefined. */
    child(node, name) {
        return this.children.get(`${node}/${name}`);
    }
    /** The directory holding `node`; -1 for the root. */
    parent(node) {
        return this.parents[node];
    }
    kind(node) {
        return this.kinds[node];
    }
    /** The target of a symlink node. */
    target(node) {
        return this.targets.get(node);
    }
    /** Every symlink node, in the order added. */
    symlinks() {
        return this.targets.keys();
    }
    /** The node's path from the root, for messages. */
    pathOf(node) {
        const names = [];
        for (let at = node; at > ROOT_NODE; at = this.parents[at])
            names.push(this.names[at]);
        return names.reverse().join('/');
    }
    create(key, parent, name, kind, target) {
        const node = this.kinds.length;
        this.parents.push(parent);
        this.kinds.push(kind);
        this.names.push(name);
        this.children.set(key, node);
        if (kind === NODE_KIND.symlink)
            this.targets.set(node, target);
        return node;
    }
}
//# sourceMappingURL=path-tree.js.map