import t from 'tap';
import { randomBytes } from 'node:crypto';
import { getJson, publishManifest, startServer, tempDir, type RunningServer, type TreeEntry } from './harness.js';
import { EventStream } from './sse-client.js';
import { waitFor } from '../helpers/wait-for.js';

const tree = (label: string): TreeEntry[] => [{ path: 'index.php', type: 'file', mode: 0o644, data: Buffer.from(`${label} ${randomBytes(8).toString('hex')}`) }];
// The rollout view and the fan-out only add to what a fresh server holds (apps of their own): they
// share one server, started by the first that asks.
let shared: Promise<RunningServer> | undefined;
const sharedServer = () => (shared ??= startServer(t, tempDir(t)));
const releaseSeqs = (stream: EventStream) => stream.events.filter((event) => event.event === 'release').map((event) => (JSON.parse(event.data) as { seq: number }).seq);

t.test('concurrent publishers get distinct seqs; events resume with Last-Event-ID across a restart', async (t) => {
  const dataDir = tempDir(t);
  let server = await startServer(t, dataDir, ['--heartbeat-seconds', '1']);
  t.equal((await publishManifest(server.url, 'other', tree('other'))).status, 201);
  const stream = await EventStream.open(`${server.url}/v1/events?apps=web`);
  t.teardown(() => stream.close());

  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => publishManifest(server.url, 'web', tree(`publisher ${i}`))));
  t.same(results.map((result) => result.status), Array(10).fill(201), 'every publisher completes');
  const seqs = results.map((result) => result.body.seq).sort((a, b) => a - b);
  t.same(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'ten distinct seqs');

  const selector = await getJson(`${server.url}/v1/apps/web`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nodeSelector: 'env=prod,tier in (web)' }) });
  t.equal(selector.status, 200);
  await stream.until((s) => releaseSeqs(s).length === 10 && s.events.filter((event) => event.event === 'app').length === 2);
  t.same(releaseSeqs(stream), seqs, 'release events arrive in seq order, only for the asked app');
  const appEvent = JSON.parse(stream.events.filter((event) => event.event === 'app').at(-1)!.data) as { name: string; nodeSelector: string };
  t.same([appEvent.name, appEvent.nodeSelector], ['web', 'env=prod,tier in (web)'], 'app updates are events too');
  const ids = stream.events.map((event) => Number(event.id));
  t.same(ids, [...ids].sort((a, b) => a - b), 'ids increase');
  await stream.until((s) => s.comments.some((comment) => comment.trim() === 'hb'));
  t.pass('heartbeat comment seen');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  t.match(metrics, /codesync_server_event_subscribers 1/);
  t.match(metrics, /codesync_server_release_seq\{app="web"\} 10/);

  const fifth = stream.events.find((event) => event.event === 'release' && (JSON.parse(event.data) as { seq: number }).seq === 5)!;
  const stopped = await server.proc.stop('SIGTERM');
  t.equal(stopped.code, 0, 'SIGTERM shuts down cleanly with a stream open');
  await stream.done;
  t.ok(stream.ended, 'the event stream was closed by the shutdown');

  server = await startServer(t, dataDir);
  const resumed = await EventStream.open(`${server.url}/v1/events?apps=web`, { 'last-event-id': fifth.id! });
  t.teardown(() => resumed.close());
  await resumed.until((s) => releaseSeqs(s).length === 5 && s.events.some((event) => event.event === 'app'));
  t.same(releaseSeqs(resumed), [6, 7, 8, 9, 10], 'what came after the given id is replayed after a restart');
  const next = await publishManifest(server.url, 'web', tree('after restart'));
  t.equal(next.body.seq, 11);
  await resumed.until((s) => releaseSeqs(s).includes(11));
  t.ok(Number(resumed.events.at(-1)!.id) > Number(stream.events.at(-1)!.id), 'ids keep increasing across the restart');

  const foreign = await EventStream.open(`${server.url}/v1/events`, { 'last-event-id': '999999' });
  t.teardown(() => foreign.close());
  await foreign.until((s) => s.events.length > 0);
  t.equal(foreign.events[0]!.event, 'reset', 'an id the log cannot resume from gets a reset');
  t.same(server.proc.errorLogs(), []);
});

t.test('node reports give the rollout view with lag and acks', async (t) => {
  const server = await sharedServer();
  await publishManifest(server.url, 'web', tree('one'));
  const second = await publishManifest(server.url, 'web', tree('two'));
  const report = (seq: number, digest: string, extra: Record<string, unknown> = {}) => ({ apps: { web: { seq, digest, activatedAt: new Date().toISOString(), ...extra } }, labels: { env: 'prod' } });
  const put = (node: string, body: unknown) => fetch(`${server.url}/v1/nodes/${node}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  t.equal((await put('node-a', report(2, second.body.digest, { acks: [{ pod: 'p1', seq: 2, ok: true }, { pod: 'p2', seq: 2, ok: false, message: 'reload failed' }, { pod: 'p3', seq: 1, ok: false }] }))).status, 204);
  t.equal((await put('node-b', report(1, 'sha256:old', { error: 'disk full' }))).status, 204);
  t.equal((await put('node-c', { apps: { api: { seq: 1, digest: 'x', activatedAt: null } } })).status, 204);
  const status = await getJson<{ latest: { seq: number }; nodes: { node: string; seq: number; lagSeconds: number; error: string | null; acks?: unknown }[] }>(`${server.url}/v1/apps/web/status`);
  t.equal(status.status, 200);
  t.equal(status.body.latest.seq, 2);
  t.same(status.body.nodes.map((node) => node.node), ['node-a', 'node-b'], 'only nodes that reported the app');
  const [a, b] = status.body.nodes;
  t.equal(a!.lagSeconds, 0, 'a node on the latest seq has no lag');
  t.same(a!.acks, { ok: 1, failed: 1, failures: [{ pod: 'p2', message: 'reload failed' }] }, 'acks of the current seq only');
  t.ok(b!.lagSeconds > 0, 'a node behind lags since the first release it lacks');
  t.equal(b!.error, 'disk full');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  t.match(metrics, /codesync_server_node_sync_lag_seconds\{app="web",node="node-b"\} [0-9.]+/);
  t.match(metrics, /codesync_server_node_sync_lag_seconds\{app="web",node="node-a"\} 0/);
});

t.test('hundreds of subscribers each get every event', async (t) => {
  const server = await sharedServer();
  const { Agent } = await import('undici');
  const agent = new Agent({ connections: null });
  t.teardown(() => agent.destroy());
  const { request } = await import('undici');
  const SUBSCRIBERS = 300;
  const received = new Array<string>(SUBSCRIBERS).fill('');
  const responses = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async (_, i) => {
      const response = await request(`${server.url}/v1/events?apps=fanout`, { dispatcher: agent });
      response.body.setEncoding('utf8');
      response.body.on('data', (chunk: string) => (received[i] += chunk));
      response.body.on('error', () => {});
      return response;
    }),
  );
  t.teardown(() => responses.forEach((response) => response.body.destroy()));
  const gauge = await (await fetch(`${server.url}/metrics`)).text();
  t.match(gauge, new RegExp(`codesync_server_event_subscribers ${SUBSCRIBERS}`));
  const published = await publishManifest(server.url, 'fanout', tree('fan-out'));
  const marker = `"seq":${published.body.seq}`;
  await waitFor('the release event at every subscriber', () => received.every((text) => text.includes(marker)));
  t.equal(received.filter((text) => text.includes(marker)).length, SUBSCRIBERS, 'every subscriber got the release event');
});
