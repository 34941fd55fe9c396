import { join } from 'node:path';
import { assertAppName } from '../../protocol/app-name.js';
import { formatMode } from '../../protocol/manifest.js';
/** The mode most files have; its objects carry no mode suffix. */
const PLAIN_FILE_MODE = 0o644;
/**
 * Paths of the node-local content cache (docs/agent.md): `objects/sha256/ab/<hex>[.<mode>]`.
 * Hardlinks share one inode and so one mode: the same content under two modes needs two objects.
 */
export class ObjectLayout {
    dir;
    /** Temp files of downloads in progress; same filesystem as the objects, so rename is atomic. */
    tmpDir;
    /** `objects/sha256`, normalised once: object paths are built by concatenation (100 000 in a cold sync). */
    shardsDir;
    constructor(dir) {
        this.dir = dir;
        this.tmpDir = join(dir, 'tmp');
        this.shardsDir = join(dir, 'sha256');
    }
    /** `sha256` is 64 hex digits (checked wherever it comes from the wire), so it needs no normalising. */
    objectPath(sha256, mode) {
        const name = mode === PLAIN_FILE_MODE ? sha256 : `${sha256}.${formatMode(mode)}`;
        return `${this.shardsDir}/${sha256.slice(0, 2)}/${name}`;
    }
}
/**
 * Paths of one app's directory (docs/agent.md). The agent keeps it under `<root>/apps/<app>`;
 * `codesync pull` uses the same layout directly under `--dest`.
 */
export class AppLayout {
    app;
    dir;
    constructor(app, dir) {
        this.app = app;
        this.dir = dir;
    }
    /** `current -> releases/<seq>`, the symlink pods serve from. */
    get current() {
        return join(this.dir, 'current');
    }
    get releasesDir() {
        return join(this.dir, 'releases');
    }
    releaseDir(seq) {
        return join(this.releasesDir, String(seq));
    }
    /** The relative symlink target of `current` for a release. */
    currentTarget(seq) {
        return `releases/${seq}`;
    }
    /** Work in progress: spare clones and trees being built; removed at start. */
    get stagingDir() {
        return join(this.dir, '.staging');
    }
    get statePath() {
        return join(this.dir, 'state.json');
    }
    /** Full manifests of retained releases, so verification needs no server. */
    get manifestsDir() {
        return join(this.dir, 'manifests');
    }
    /** The compact form (header line, offsets, canonical text): read as it is held. */
    manifestPath(seq) {
        return join(this.manifestsDir, `${seq}.manifest`);
    }
    /** The JSON form agents wrote before the compact one: still read, replaced when rewritten. */
    legacyManifestPath(seq) {
        return join(this.manifestsDir, `${seq}.json`);
    }
    /** A manifest kept as its base plus a delta until the full one is written. */
    manifestDeltaPath(seq) {
        return join(this.manifestsDir, `${seq}.delta.json`);
    }
}
/** The whole agent root: `objects/` shared by every app, `apps/<app>/` per app. */
export class RootLayout {
    root;
    objects;
    constructor(root) {
        this.root = root;
        this.objects = new ObjectLayout(join(root, 'objects'));
    }
    /** The last line of defence for names from the wire: an invalid name never becomes a path. */
    app(app) {
        assertAppName(app);
        return new AppLayout(app, join(this.root, 'apps', app));
    }
    get appsDir() {
        return join(this.root, 'apps');
    }
}
//# sourceMappingURL=layout.js.map