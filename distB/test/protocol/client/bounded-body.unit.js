import { Readable } from 'node:stream';
import t from 'tap';
import { readBounded } from '../../../protocol/client/bounded-body.js';
/** A body of `chunks`, recording whether the reader gave up on it. */
function body(chunks) {
    const stream = Readable.from(chunks);
    return Object.assign(stream, { stopped: () => stream.destroyed && !stream.readableEnded });
}
t.test('a body within its bound is read whole', async (t) => {
    const bytes = await readBounded(body([Buffer.from('{"a":'), Buffer.from('1}')]), 7, 'GET /v1/x');
    t.equal(bytes.toString(), '{"a":1}');
});
t.test('a body that grows past its bound is cut off at once', async (t) => {
    let produced = 0;
    const endless = new Readable({
        read() {
            produced += 1024;
            this.push(Buffer.alloc(1024, 0x61));
        },
    });
    await t.rejects(readBounded(endless, 10_000, 'GET /v1/apps'), { code: 'RESPONSE_TOO_LARGE', details: { maxBytes: 10_000 }, message: /GET \/v1\/apps runs past 10000 bytes/ });
    t.ok(endless.destroyed, 'the body was destroyed');
    t.ok(produced < 100_000, `read ${produced} bytes, not the endless rest`);
});
t.test('a declared Content-Length over the bound is refused before reading', async (t) => {
    const declared = body([Buffer.from('x')]);
    await t.rejects(readBounded(declared, 100, 'GET /v1/apps', '5000000'), { code: 'RESPONSE_TOO_LARGE', message: /declares 5000000 bytes/ });
    t.ok(declared.stopped(), 'nothing was read');
});
t.test('exactly the bound is allowed', async (t) => {
    t.equal((await readBounded(body([Buffer.alloc(50), Buffer.alloc(50)]), 100, 'x', '100')).length, 100);
});
t.test('a body of declared length is read whole into one buffer, and one running past its declared length is refused', async (t) => {
    const bytes = await readBounded(body([Buffer.from('{"a":'), Buffer.from('1}')]), 100, 'GET /v1/x', '7');
    t.equal(bytes.toString(), '{"a":1}');
    t.equal(bytes.buffer.byteLength, 7, 'one buffer of the declared size');
    const longer = body([Buffer.from('{"a":'), Buffer.from('1}'), Buffer.from('more')]);
    await t.rejects(readBounded(longer, 100, 'GET /v1/x', '7'), { code: 'RESPONSE_TOO_LARGE', message: /runs past its declared 7 bytes/ });
    t.ok(longer.stopped(), 'the body was destroyed');
});
//# sourceMappingURL=bounded-body.unit.js.map