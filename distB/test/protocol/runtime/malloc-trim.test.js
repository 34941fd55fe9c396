import t from 'tap';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { trimMalloc } from '../../../protocol/runtime/malloc-trim.js';
const MiB = 1024 * 1024;
// A real glibc, not a stand-in: the test machine and the image are Debian. Elsewhere (musl,
// macOS) trimMalloc answers false and the process keeps what it holds, which is all it can do.
const glibc = process.platform === 'linux' && typeof process.report?.getReport === 'function' && Boolean(process.report.getReport().header?.glibcVersionRuntime);
t.test('freed 64 KiB buffers held by the allocator go back to the system with a trim', { skip: glibc ? false : 'needs glibc' }, async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc');
    // Socket-read-sized allocations from the main arena, with one in 50 kept alive: the pattern a
    // cold sync leaves, where a few live chunks pin the free memory below them.
    let buffers = Array.from({ length: 3000 }, () => Buffer.allocUnsafeSlow(64 * 1024).fill(1));
    const kept = buffers.filter((_, i) => i % 50 === 0);
    buffers = [];
    gc();
    const before = process.memoryUsage.rss();
    t.equal(trimMalloc(), true, 'glibc answered');
    const after = process.memoryUsage.rss();
    t.ok(before - after > 64 * MiB, `RSS fell by ${((before - after) / MiB).toFixed(0)} MiB (from ${(before / MiB).toFixed(0)})`);
    t.equal(kept.length, 60);
    t.equal(kept[0]?.[0], 1, 'live buffers keep their bytes');
});
t.test('a second trim with nothing freed is harmless', async (t) => {
    t.equal(trimMalloc(), glibc, glibc ? 'glibc answered again' : 'no glibc: nothing to ask');
});
//# sourceMappingURL=malloc-trim.test.js.map