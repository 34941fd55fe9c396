import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from './dockerfile.js';
// No image can be built here (no container registry), so the Dockerfile is checked statically and
// its production install is replayed in a temp dir: the same `npm ci` line, then the entrypoint.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1);
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
function args(stage, instruction) {
    return stage.instructions.filter((i) => i.instruction === instruction).map((i) => i.args);
}
t.test('every COPY source from the build context exists and is not in .dockerignore', async (t) => {
    let copies = 0;
    for (const stage of stages) {
        for (const copy of args(stage, 'COPY')) {
            if (copy.some((arg) => arg.startsWith('--from=')))
                continue;
            for (const source of copy.filter((arg) => !arg.startsWith('--')).slice(0, -1)) {
                copies += 1;
                t.ok(existsSync(join(ROOT, source)), `${stage.name}: COPY ${source} exists`);
                t.notOk(dockerignore.includes(source.split('/')[0]), `${stage.name}: ${source} is not excluded by .dockerignore`);
            }
        }
    }
    t.ok(copies >= 5, 'the Dockerfile copies its sources from the context');
});
t.test('the runtime is a slim Node LTS that satisfies engines, running as a non-root user', async (t) => {
    const image = runtime.from;
    const major = Number(/^node:(\d+)-.*slim$/.exec(image)?.[1]);
    t.ok(major, `runtime image ${image} is a slim node image`);
    t.equal(major % 2, 0, 'an even Node major: a release line that becomes LTS');
    t.ok(major >= 22, 'not Node 20, which reached end of life in April 2026');
    const engineMin = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
    t.ok(engineMin && engineMin <= major, `engines ${pkg.engines.node} admits the shipped Node ${major}`);
    t.ok(Number(process.versions.node.split('.')[0]) >= engineMin, `engines ${pkg.engines.node} admits the Node the tests run on (${process.versions.node})`);
    const user = args(runtime, 'USER').at(-1)?.[0];
    t.ok(user, 'the runtime stage sets USER');
    const uid = user.split(':')[0];
    t.not(uid, 'root');
    t.not(uid, '0');
    t.ok(Number(uid) >= 10000, `uid ${uid} is unprivileged and outside the host's usual range`);
    t.match(args(runtime, 'RUN').map((run) => run.join(' ')).join('\n'), /apt-get install[^&]*\brsync\b/, 'rsync (server-side imports) is installed');
});
t.test('the exec-form entrypoint is the executable package.json bin names', async (t) => {
    const entrypoint = runtime.instructions.find((i) => i.instruction === 'ENTRYPOINT');
    t.ok(entrypoint?.exec, 'ENTRYPOINT uses the exec (JSON) form, so node is PID 1 and receives SIGTERM');
    const [interpreter, script] = entrypoint.args;
    t.equal(interpreter, 'node');
    const workdir = args(runtime, 'WORKDIR').at(-1)[0];
    t.equal(posix.relative(workdir, script), pkg.bin.codesync, 'the entrypoint script is the bin of package.json');
});
t.test('the production install the image does runs the CLI and loads the server and the agent', async (t) => {
    const install = stages.flatMap((stage) => args(stage, 'RUN')).map((run) => run.join(' ')).find((run) => /^npm ci\b.*--omit=dev/.test(run));
    t.ok(install, 'the Dockerfile installs production dependencies with npm ci --omit=dev');
    const dir = mkdtempSync(join(tmpdir(), 'codesync-image-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    for (const file of ['package.json', 'package-lock.json'])
        cpSync(join(ROOT, file), join(dir, file));
    const output = execFileSync('sh', ['-c', `${install} --prefer-offline 2>&1`], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
    t.notMatch(output, /EBADENGINE/, `no production dependency rejects this Node (${process.versions.node})`);
    t.notOk(existsSync(join(dir, 'node_modules/typescript')), 'no dev dependency is installed');
    for (const part of ['bin', 'example'])
        cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    for (const part of ['protocol', 'server', 'agent', 'cli'])
        cpSync(join(ROOT, 'dist', part), join(dir, 'dist', part), { recursive: true });
    // As in the image: without the loader hooks the test runner adds to NODE_OPTIONS of every
    // child it spawns (they break an extensionless ESM entry point); `env -u` drops them after.
    const node = (...argv) => execFileSync('env', ['-u', 'NODE_OPTIONS', process.execPath, ...argv], { cwd: dir, encoding: 'utf8' });
    const help = node(pkg.bin.codesync, '--help');
    t.match(help, /\bserver\b/);
    t.match(help, /\bagent\b/);
    // `--help` loads no command's code; importing the entry modules proves the production
    // dependencies are enough for what `server` and `agent` load when they run.
    // (run-agent loads its cluster, socket and notifier modules when used: imported here by name.)
    const agentModules = ['cli/run-agent', 'agent/kube/cluster-integration', 'agent/reload/socket/reload-socket', 'agent/reload/targets/reload-notifier'];
    const load = `await import('./dist/server/index.js'); ${agentModules.map((module) => `await import('./dist/${module}.js');`).join(' ')} console.log('loaded')`;
    t.equal(node('--input-type=module', '-e', load).trim(), 'loaded');
});
//# sourceMappingURL=dockerfile.test.js.map