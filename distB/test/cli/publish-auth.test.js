import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { publishFlags, startServer } from './server-fixture.js';
t.test('the bearer token comes from --token, CODESYNC_TOKEN or --token-file; the server code is kept', async (t) => {
    const dir = t.testdir({ data: {}, tree: { 'a.txt': 'a' }, 'tokens.txt': 'publish:pub-secret\nread:read-secret\n' });
    writeFileSync(join(dir, 'pub.token'), 'pub-secret\n');
    writeFileSync(join(dir, 'read.token'), 'read-secret');
    // The server's old name for its scoped list (--token-file, now --token-list) still works, with a warning.
    const { url, server } = await startServer(t, join(dir, 'data'), ['--token-file', join(dir, 'tokens.txt')]);
    t.ok(server.logs.some((line) => line.level === 40 && /--token-file .* is deprecated: name the scoped token list with --token-list/.test(String(line.msg))), 'the deprecated spelling is logged');
    const tree = join(dir, 'tree');
    const flags = publishFlags(url, dir);
    const anonymous = await runCliInProcess(['publish', tree, ...flags]);
    t.match(anonymous, { code: 1, stdout: '', stderr: /^codesync: UNAUTHORIZED: / });
    const reader = await runCliInProcess(['publish', tree, ...flags, '--token-file', join(dir, 'read.token')]);
    t.match(reader, { code: 1, stderr: /^codesync: FORBIDDEN: / }, 'a read-scope token may not publish');
    const fromFile = await runCliInProcess(['publish', tree, ...flags, '--token-file', join(dir, 'pub.token')]);
    t.match(fromFile, { code: 0, stdout: /^1 sha256:[0-9a-f]{64}\n$/ }, 'the file is trimmed of its newline');
    const fromEnv = await runCliInProcess(['publish', tree, ...flags], { env: { CODESYNC_TOKEN: 'pub-secret' } });
    t.match(fromEnv, { code: 0, stdout: /^1 sha256:[0-9a-f]{64} unchanged\n$/ });
    const fromFlag = await runCliInProcess(['status', '--server', url, '--token', 'read-secret']);
    t.match(fromFlag, { code: 0, stdout: /^APP\s+SEQ/ }, 'status needs only a read-scope token');
    const missingFile = await runCliInProcess(['status', '--server', url, '--token-file', join(dir, 'nope')]);
    t.match(missingFile, { code: 2, stderr: /^codesync: USAGE: cannot read --token-file / });
    t.notMatch(`${anonymous.stderr}${reader.stderr}${fromFile.stderr}`, /secret/, 'tokens never reach the output');
});
//# sourceMappingURL=publish-auth.test.js.map