import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { comparePathBytes } from '../../../protocol/paths.js';
const sha = (data) => createHash('sha256').update(data).digest('hex');
/**
 * Directory entries and their contents interleaved with siblings that sort between a directory
 * and what lies below it ("a" < "a.txt" < "a/..."), empty directories, restrictive modes.
 */
export function treeEntries() {
    const files = new Map();
    const entries = [];
    const file = (path, mode = 0o644) => {
        const data = Buffer.from(`bytes of ${path}\n`);
        files.set(path, data);
        entries.push({ path, type: 'file', mode, size: data.length, sha256: sha(data) });
    };
    const dir = (path, mode) => entries.push({ path, type: 'dir', mode });
    dir('a', 0o555);
    file('a.txt');
    file('a/b');
    dir('a/e', 0o500);
    file('a/e.txt', 0o600);
    dir('a/f', 0o711);
    file('a/f/g/h');
    entries.push({ path: 'a/f/link', type: 'symlink', mode: 0o777, target: '../b' });
    dir('empty', 0o700);
    file('lib/d0/e0/f0.txt');
    file('lib/d0/e1/f1.txt');
    file('lib/d1/e0/f2.txt', 0o755);
    file('z');
    entries.sort((x, y) => comparePathBytes(x.path, y.path));
    return { entries, files };
}
/** Checks the tree at `root` is the one `treeEntries` describes: bytes, modes, links, implied and empty directories. */
export async function checkTree(t, root, entries, files) {
    for (const entry of entries) {
        const path = join(root, entry.path);
        const stats = await lstat(path);
        if (entry.type === 'file') {
            t.ok((await readFile(path)).equals(files.get(entry.path)), `${entry.path}: its bytes`);
            t.equal(stats.mode & 0o777, entry.mode, `${entry.path}: mode ${entry.mode.toString(8)}`);
        }
        else if (entry.type === 'dir') {
            t.ok(stats.isDirectory(), `${entry.path}: a directory`);
            t.equal(stats.mode & 0o777, entry.mode, `${entry.path}: mode ${entry.mode.toString(8)}`);
        }
        else {
            t.equal(await readlink(path), entry.target, `${entry.path}: its target`);
        }
    }
    t.equal((await lstat(join(root, 'lib/d0'))).mode & 0o777, 0o755, 'an implied directory: 755');
    t.same((await readdir(join(root, 'a/e'))).sort(), [], 'an empty directory stays empty');
}
//# sourceMappingURL=tree-fixture.js.map