import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableFs } from '../../../server/store/durable-fs.js';
t.test('writeParts writes its parts one after another, however many, and leaves no temp file', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'codesync-durable-fs-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const fs = new DurableFs(dir);
    await fs.init();
    const parts = Array.from({ length: 1500 }, (_, i) => Buffer.from(i % 7 === 0 ? '' : `part ${i};`));
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    await fs.writeParts(join(dir, 'sub', 'file'), [...parts, big, Buffer.from('end')]);
    t.ok(readFileSync(join(dir, 'sub', 'file')).equals(Buffer.concat([...parts, big, Buffer.from('end')])));
    await fs.writeParts(join(dir, 'sub', 'file'), [Buffer.from('replaced')]);
    t.equal(readFileSync(join(dir, 'sub', 'file'), 'utf8'), 'replaced', 'an existing file is replaced');
    t.same(readdirSync(fs.tmpDir), [], 'no temp file left');
});
//# sourceMappingURL=durable-fs.unit.js.map