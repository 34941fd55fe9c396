import { CodesyncError } from './errors.js';
import { LIMITS } from './limits.js';
import { NODE_KIND, ROOT_NODE } from './path-tree.js';
const EXTERNAL = 'external';
/**
 * Decides where every symlink of a tree resolves, the way the kernel walks a path: component by
 * component from the link's directory, `..` to the parent, each symlink met on the way (in the
 * middle or at the end) followed through its own target, at most LIMITS.maxSymlinkFollows in all.
 * Textual normalisation is not enough: `x/up -> ..` is harmless, and so is `z -> x/up/..` read
 * as text (`x`), yet `z` climbs above the root.
 *
 * A link is refused when it is part of a loop, needs too many follows, resolves through an
 * external link, or (unless `externalSymlinks`) leaves the tree. Each link is resolved once
 * (memoised), so the work is the total length of the targets, whatever the tree's size.
 */
export class SymlinkResolver {
    tree;
    rules;
    resolved = new Map();
    inProgress = new Set();
    constructor(tree, rules = {}) {
        this.tree = tree;
        this.rules = rules;
    }
    /** Resolves every symlink of the tree; throws INVALID_SYMLINK naming the first refused one. */
    checkAll() {
        for (const link of this.tree.symlinks())
            this.resolve(link, 1);
    }
    /** True when the link leaves the tree and is kept as an external link. */
    isExternal(link) {
        return this.resolve(link, 1) === EXTERNAL;
    }
    resolve(link, nesting) {
        const known = this.resolved.get(link);
        if (known !== undefined)
            return known;
        if (this.inProgress.has(link))
            throw this.refuse(link, 'is part of a symlink loop');
        if (nesting > LIMITS.maxSymlinkFollows)
            throw this.refuse(link, `needs more than ${LIMITS.maxSymlinkFollows} nested symlinks to resolve`);
        this.inProgress.add(link);
        const resolution = this.walk(link, nesting);
        this.inProgress.delete(link);
        if (resolution === EXTERNAL && !this.rules.externalSymlinks) {
            const target = this.tree.target(link);
            throw this.refuse(link, `${target.startsWith('/') ? 'is absolute' : 'resolves outside the tree'}; links stay inside the tree unless the app sets externalSymlinks: "allow" (docs/security.md)`);
        }
        this.resolved.set(link, resolution);
        return resolution;
    }
    walk(link, nesting) {
        const target = this.tree.target(link);
        if (target.startsWith('/'))
            return EXTERNAL;
        let node = this.tree.parent(link);
        let lexical = 0;
        let follows = 1;
        let start = 0;
        while (start <= target.length) {
            const slash = target.indexOf('/', start);
            const end = slash === -1 ? target.length : slash;
            const name = target.slice(start, end);
            start = end + 1;
            if (name === '' || name === '.')
                continue;
            if (name === '..') {
                if (lexical > 0)
                    lexical--;
                else if (node === ROOT_NODE)
                    return EXTERNAL;
                else
                    node = this.tree.parent(node);
                continue;
            }
            if (lexical > 0) {
                lexical++;
                continue;
            }
            const child = this.tree.child(node, name);
            if (child === undefined) {
                lexical = 1;
                continue;
            }
            if (this.tree.kind(child) !== NODE_KIND.symlink) {
                node = child;
                continue;
            }
            const through = this.resolve(child, nesting + 1);
            if (through === EXTERNAL) {
                throw this.refuse(link, `resolves through the external symlink ${JSON.stringify(this.tree.pathOf(child))}; nothing may resolve through a link that leaves the tree`);
            }
            follows += through.follows;
            if (follows > LIMITS.maxSymlinkFollows)
                throw this.refuse(link, `needs more than ${LIMITS.maxSymlinkFollows} symlinks to resolve`);
            node = through.node;
            lexical = through.lexical;
        }
        return { node, lexical, follows };
    }
    refuse(link, reason) {
        return new CodesyncError('INVALID_SYMLINK', `symlink ${JSON.stringify(this.tree.pathOf(link))} -> ${JSON.stringify(this.tree.target(link))} ${reason}`);
    }
}
//# sourceMappingURL=symlink-resolver.js.map