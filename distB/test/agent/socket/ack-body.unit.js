import t from 'tap';
import { Readable } from 'node:stream';
import { parseAck, readJsonBody } from '../../../agent/reload/socket/ack-body.js';
// readJsonBody only iterates the request; a Readable stands in for the socket's IncomingMessage.
const body = (...chunks) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
t.test('parseAck: {pod, seq, ok, message?}', async (t) => {
    t.same(parseAck({ pod: 'web-0', seq: 3, ok: true }), { pod: 'web-0', seq: 3, ok: true });
    t.same(parseAck({ pod: 'web-0', seq: 0, ok: false, message: 'php-fpm: bad config' }), { pod: 'web-0', seq: 0, ok: false, message: 'php-fpm: bad config' });
    t.same(parseAck({ pod: 'web-0', seq: 3, ok: true, extra: 1 }), { pod: 'web-0', seq: 3, ok: true }, 'unknown fields are dropped');
    const invalid = [null, [], 'ack', { seq: 1, ok: true }, { pod: '', seq: 1, ok: true }, { pod: 'p'.repeat(254), seq: 1, ok: true }, { pod: 'p', seq: -1, ok: true }, { pod: 'p', seq: 1.5, ok: true }, { pod: 'p', seq: '1', ok: true }, { pod: 'p', seq: 1, ok: 'yes' }, { pod: 'p', seq: 1, ok: true, message: 5 }];
    for (const input of invalid)
        t.throws(() => parseAck(input), { code: 'INVALID_REQUEST' }, JSON.stringify(input));
});
t.test('a long message keeps its tail, where the error is', async (t) => {
    const message = `${'x'.repeat(10_000)}FATAL: syntax error`;
    const ack = parseAck({ pod: 'p', seq: 1, ok: false, message });
    t.equal(ack.message.length, 4096, 'bounded to what the node report keeps');
    t.ok(ack.message.endsWith('FATAL: syntax error'));
});
t.test('readJsonBody: JSON across chunks; bad JSON and oversized bodies are refused', async (t) => {
    t.same(await readJsonBody(body('{"pod":"p",', '"seq":1,"ok":true}')), { pod: 'p', seq: 1, ok: true });
    await t.rejects(readJsonBody(body('{"pod":')), { code: 'INVALID_JSON' });
    await t.rejects(readJsonBody(body('')), { code: 'INVALID_JSON' }, 'an empty body');
    await t.rejects(readJsonBody(body(Buffer.alloc(40 * 1024, 0x20), Buffer.alloc(40 * 1024, 0x20))), { code: 'BODY_TOO_LARGE' }, 'over 64 KiB, even if each chunk is small');
});
//# sourceMappingURL=ack-body.unit.js.map