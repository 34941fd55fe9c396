import t from 'tap';
import { SLAB_BYTES, SendSlabs } from '../../../server/store/send-slabs.js';
t.test('a slab is free again only once every byte lent was written, in whatever pieces', async (t) => {
    const slabs = new SendSlabs();
    const slab = slabs.take(1000);
    t.equal(slab.byteLength, SLAB_BYTES, 'a run that fits gets a slab');
    const chunk = slabs.lend(Buffer.from(slab, 0, 1000));
    slabs.written(chunk.subarray(0, 600));
    t.equal(slabs.freeCount, 0, 'not free while 400 bytes wait in a queue');
    slabs.written(chunk.subarray(600));
    t.equal(slabs.freeCount, 1, 'free once the last piece was written');
    t.equal(slabs.take(10), slab, 'and handed out again');
});
t.test('buffers that are not lent slabs are left alone', async (t) => {
    const slabs = new SendSlabs();
    const big = slabs.take(SLAB_BYTES + 1);
    t.equal(big.byteLength, SLAB_BYTES + 1, 'a run larger than a slab gets a buffer of its own');
    slabs.written(slabs.lend(Buffer.from(big)));
    slabs.written(Buffer.alloc(512));
    slabs.written(Buffer.from(slabs.take(1)));
    t.equal(slabs.freeCount, 0, 'none of them joins the free slabs');
});
//# sourceMappingURL=send-slabs.unit.js.map