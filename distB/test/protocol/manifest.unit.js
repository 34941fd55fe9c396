import t from 'tap';
import { validateManifest, validateMeta } from '../../protocol/manifest.js';
import { assertAppName } from '../../protocol/app-name.js';
import { diffManifests } from '../../protocol/delta.js';
import { EMPTY_SHA256 } from '../../protocol/sha256.js';
const file = (path, extra = {}) => ({ path, type: 'file', mode: 0o644, size: 0, sha256: EMPTY_SHA256, ...extra });
t.test('bad entries are refused with stable codes', async (t) => {
    const cases = [
        ['dot-dot segment', [file('a/../b')], 'INVALID_PATH'],
        ['dot segment', [file('./a')], 'INVALID_PATH'],
        ['empty segment', [file('a//b')], 'INVALID_PATH'],
        ['absolute', [file('/etc/passwd')], 'INVALID_PATH'],
        ['NUL', [file('a\0b')], 'INVALID_PATH'],
        ['lone surrogate', [file('a\ud800')], 'INVALID_PATH'],
        ['path too long', [file(Array(18).fill('a'.repeat(200)).join('/'))], 'PATH_TOO_LONG'],
        ['path just at the limit', [file(`${'a/'.repeat(1791)}bc`)], 'OK'],
        ['name of 256 bytes', [file(`d/${'n'.repeat(256)}`)], 'NAME_TOO_LONG'],
        ['name of 256 bytes in UTF-8 (128 two-byte letters)', [file('é'.repeat(128))], 'NAME_TOO_LONG'],
        ['duplicate', [file('a'), file('a')], 'DUPLICATE_PATH'],
        ['under a file', [file('a'), file('a/b')], 'PATH_CONFLICT'],
        ['under a symlink', [{ path: 'l', type: 'symlink', target: 'd' }, file('l/x')], 'PATH_CONFLICT'],
        ['absolute symlink', [{ path: 'l', type: 'symlink', target: '/etc' }], 'INVALID_SYMLINK'],
        ['escaping symlink', [{ path: 'a/l', type: 'symlink', target: '../../etc' }], 'INVALID_SYMLINK'],
        ['setuid', [file('a', { mode: 0o4755 })], 'INVALID_MODE'],
        ['sticky dir', [{ path: 'd', type: 'dir', mode: 0o1777 }], 'INVALID_MODE'],
        ['bad sha', [file('a', { sha256: 'xyz' })], 'INVALID_ENTRY'],
        ['negative size', [file('a', { size: -1 })], 'INVALID_ENTRY'],
        ['bad type', [{ path: 'a', type: 'fifo', mode: 0o644 }], 'INVALID_ENTRY'],
    ];
    for (const [name, entries, code] of cases) {
        if (code === 'OK')
            t.doesNotThrow(() => validateManifest(entries), name);
        else
            t.throws(() => validateManifest(entries), { code }, name);
    }
    t.doesNotThrow(() => validateManifest([file('n'.repeat(255)), file('é'.repeat(127))]), 'names of 255 and 254 bytes pass');
});
t.test('valid trees pass and come back sorted', async (t) => {
    const entries = validateManifest([file('b'), { path: 'a/l', type: 'symlink', target: '../b' }, { path: 'a', type: 'dir', mode: 0o755 }, file('a/ü x.txt')]);
    t.same(entries.map((e) => e.path), ['a', 'a/l', 'a/ü x.txt', 'b']);
    t.equal(entries[1].mode, 0o777, 'symlink mode normalised');
});
t.test('meta and app names', async (t) => {
    t.same(validateMeta({ commit: 'abc' }), { commit: 'abc' });
    t.throws(() => validateMeta({ big: 'x'.repeat(5000) }), { code: 'META_TOO_LARGE' });
    t.throws(() => validateMeta({ n: 1 }), { code: 'INVALID_REQUEST' });
    for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a'.repeat(64), '..'])
        t.throws(() => assertAppName(bad), { code: 'INVALID_APP_NAME' }, bad);
    for (const good of ['a', 'shop-web', 'api.v2', 'a'.repeat(63)])
        t.doesNotThrow(() => assertAppName(good), good);
});
t.test('delta between manifests', async (t) => {
    const base = validateManifest([file('keep'), file('change'), file('gone')]);
    const target = validateManifest([file('keep'), file('change', { mode: 0o755 }), file('new')]);
    const delta = diffManifests(base, target);
    t.same(delta.added.map((e) => e.path), ['new']);
    t.same(delta.changed.map((e) => e.path), ['change']);
    t.same(delta.removed, ['gone']);
});
//# sourceMappingURL=manifest.unit.js.map