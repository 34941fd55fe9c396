import t from 'tap';
import { pino } from 'pino';
import { acceptedApps, acceptedReleaseEvent } from '../../../agent/link/server-listing.js';
/** A pino logger whose warn lines the test reads back. */
function recordingLog() {
    const lines = [];
    const log = pino({ level: 'warn' }, { write: (text) => void lines.push(JSON.parse(text)) });
    return { log, lines };
}
const digest = `sha256:${'a'.repeat(64)}`;
const latest = { app: 'web', seq: 3, digest, createdAt: '2026-01-01T00:00:00.000Z' };
const app = (name, release = latest) => ({ name, nodeSelector: '', keepReleases: 10, createdAt: '2026-01-01T00:00:00.000Z', latest: release });
t.test('acceptedApps: a list or { apps }, apps without a release included', async (t) => {
    const { log, lines } = recordingLog();
    t.same(acceptedApps([app('web'), app('api', null)], log).map((info) => info.name), ['web', 'api']);
    t.same(acceptedApps({ apps: [app('web')] }, log).map((info) => info.name), ['web']);
    t.same(lines, [], 'nothing refused, nothing logged');
});
t.test('acceptedApps: an app that could steer the agent off its root is left out, with its code logged', async (t) => {
    const { log, lines } = recordingLog();
    const listed = [
        app('web'),
        app('../etc'),
        app('Bad_Name'),
        app('seq0', { ...latest, seq: 0 }),
        app('seqtext', { ...latest, seq: '3' }),
        app('nodigest', { ...latest, digest: 'sha256:xyz' }),
        app('when', { ...latest, createdAt: 12 }),
        null,
    ];
    t.same(acceptedApps(listed, log).map((info) => info.name), ['web']);
    t.same(lines.map((line) => line.code), ['INVALID_APP_NAME', 'INVALID_APP_NAME', 'INVALID_SEQ', 'INVALID_SEQ', 'INVALID_SHA256', 'SERVER_ERROR', 'SERVER_ERROR']);
    t.ok(lines.every((line) => line.msg === 'refused an app the server listed'));
    t.equal(lines[0].app, '"../etc"', 'the name is logged quoted, as data');
});
t.test('acceptedApps: a body that is not a list is refused whole', async (t) => {
    const { log, lines } = recordingLog();
    for (const body of [null, 'apps', { apps: 'web' }, 42])
        t.same(acceptedApps(body, log), []);
    t.same(lines.map((line) => [line.code, line.msg]), Array(4).fill(['SERVER_ERROR', 'refused an app listing that is not a list']));
});
t.test('acceptedApps: a hostile name is cut to 300 characters in the log', async (t) => {
    const { log, lines } = recordingLog();
    acceptedApps([app('x'.repeat(10_000))], log);
    t.equal(lines[0].app.length, 300);
});
t.test('acceptedReleaseEvent: a valid event as is, anything else undefined and logged with its code', async (t) => {
    const { log, lines } = recordingLog();
    t.same(acceptedReleaseEvent(latest, log), latest);
    t.same(acceptedReleaseEvent({ app: 'web', seq: 4, digest }, log), { app: 'web', seq: 4, digest }, 'createdAt is optional');
    for (const event of [null, 'release', { ...latest, app: '../x' }, { ...latest, seq: -1 }, { ...latest, digest: 'nope' }])
        t.equal(acceptedReleaseEvent(event, log), undefined);
    t.same(lines.map((line) => line.code), ['SERVER_ERROR', 'SERVER_ERROR', 'INVALID_APP_NAME', 'INVALID_SEQ', 'INVALID_SHA256']);
    t.ok(lines.every((line) => line.msg === 'refused a release event'));
});
//# sourceMappingURL=server-listing.unit.js.map