import t from 'tap';
import { sha256, startServer, tempDir } from './harness.js';

/** Posts a raw JSON text as a publish body; the status and the error code, if any. */
async function post(url: string, text: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${url}/v1/apps/web/releases?create=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, ...(body.error ? { code: body.error.code } : {}) };
}

t.test('a full-manifest publish body read entry by entry: same answers as the whole-body parser', async (t) => {
  const { url } = await startServer(t, tempDir(t));
  const hash = sha256(Buffer.from('x'));
  const entry = `{"sha256":"${hash}", "size":1,"mode":420,"type":"file","path":"a\\u002fb \\" c"}`;
  t.same(await post(url, ` \n{ "meta" : {"k":"v"} ,\t"entries" : [ ${entry} ,{"path":"dir","type":"dir","mode":493}] } \r\n`), { status: 409, code: 'BLOBS_MISSING' }, 'spaces, escapes, any key order');
  t.same(await post(url, `{"entries":[${entry}],"entries":"last wins"}`), { status: 400, code: 'INVALID_REQUEST' }, 'a repeated key: the last wins, as in JSON.parse');
  t.same(await post(url, `{"entries":[${entry},]}`), { status: 400, code: 'INVALID_JSON' }, 'a trailing comma');
  t.same(await post(url, `{"entries":[{"path":"a","type":"dir","mode":tru}]}`), { status: 400, code: 'INVALID_JSON' }, 'a bad literal inside an entry');
  t.same(await post(url, `{"entries":[${entry}]} x`), { status: 400, code: 'INVALID_JSON' }, 'text after the body');
  t.same(await post(url, `{"entries":[{"path":"a","type":"dir","mode":493,"__proto__":{"x":1}}]}`), { status: 400, code: 'INVALID_JSON' }, 'prototype poisoning in an entry');
  t.same(await post(url, `{"__proto__":{"x":1},"entries":[]}`), { status: 400, code: 'INVALID_JSON' }, 'prototype poisoning at the top');
  t.same(await post(url, `{"entries":[{"path":"a","type":"dir","mode":493}, {"path":"a","type":"dir","mode":493}]}`), { status: 400, code: 'DUPLICATE_PATH' });
  t.same(await post(url, `{"entries":[{"path":"../a","type":"dir","mode":493}], "meta": {"k": 1}}`), { status: 400, code: 'INVALID_REQUEST' }, 'meta is judged before the entries, as before');
  t.same(await post(url, `{"entries":[]}`), { status: 201 }, 'an empty tree');
  t.same(await post(url, ''), { status: 400, code: 'INVALID_JSON' }, 'an empty body');
});
