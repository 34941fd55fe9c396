import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../test/helpers/seeded-random.js';
/** 4 MiB of incompressible bytes (sha256 in counter mode) that file contents are cut from. */
export function contentPool() {
    const pool = Buffer.alloc(4 * 1024 * 1024);
    for (let offset = 0, counter = 0; offset < pool.length; offset += 32, counter++) {
        createHash('sha256').update(`pool ${counter}`).digest().copy(pool, offset);
    }
    return pool;
}
/**
 * Writes a code-tree-like tree under `dir`: mostly small files, some medium, a few large, in
 * nested directories, each file unique. With the defaults: 10 000 files, about 200 MB.
 */
export async function generateTree(dir, options = {}) {
    const count = options.files ?? 10_000;
    // mulberry32: the same seed always builds the same tree.
    const random = mulberry32(options.seed ?? 42);
    const pool = contentPool();
    const paths = [];
    const sizes = [];
    let bytes = 0;
    const dirs = new Set();
    for (let i = 0; i < count; i++) {
        const roll = random();
        // 1% large (0.25-2.25 MiB), 9% medium (8-64 KiB), 90% small (0.1-8 KiB)
        const size = roll < 0.01 ? 256 * 1024 + Math.floor(random() * 2 * 1024 * 1024) : roll < 0.1 ? 8 * 1024 + Math.floor(random() * 56 * 1024) : 100 + Math.floor(random() * 8 * 1024);
        const sub = `src/m${i % 25}/p${Math.floor(i / 25) % 16}`;
        const path = `${sub}/file${i}.${['php', 'lua', 'py', 'js'][i % 4]}`;
        if (!dirs.has(sub)) {
            await mkdir(join(dir, sub), { recursive: true });
            dirs.add(sub);
        }
        await writeFile(join(dir, path), fileContent(pool, i, size));
        paths.push(path);
        sizes.push(size);
        bytes += size;
    }
    return { files: count, bytes, paths, sizes };
}
/** A unique header naming the file, then bytes from the pool at a file-specific offset. */
export function fileContent(pool, index, size, version = 0) {
    const content = Buffer.alloc(size);
    const header = Buffer.from(`// file ${index} v${version}\n`);
    header.copy(content, 0, 0, Math.min(header.length, size));
    let offset = header.length;
    let from = (index * 7919 + version * 104729) % pool.length;
    while (offset < size) {
        const n = Math.min(size - offset, pool.length - from);
        pool.copy(content, offset, from, from + n);
        offset += n;
        from = 0;
    }
    return content;
}
/** Where writeSmallTree puts file `i`: 100 × 100 directories, so a tree of 100 000 has 10 files in each. */
export function smallFileName(i) {
    return `lib/d${i % 100}/e${Math.floor(i / 100) % 100}/f${i}.txt`;
}
/** `count` files of about 15 bytes in 10 000 directories: the worst case per byte. */
export async function writeSmallTree(dir, count) {
    const made = new Set();
    for (let i = 0; i < count; i++) {
        const path = join(dir, smallFileName(i));
        const parent = join(path, '..');
        if (!made.has(parent))
            await mkdir(parent, { recursive: true });
        made.add(parent);
        await writeFile(path, `f${i} v0\n`.padEnd(15, '.'));
    }
}
//# sourceMappingURL=tree-generator.js.map