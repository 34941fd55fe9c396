import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IGNORE_FILE, loadTreeFilter } from '../../../cli/publish/tree-filter.js';
t.test('without an ignore file: --exclude patterns only, and the ignore file itself', async (t) => {
    const root = t.testdir({});
    const filter = loadTreeFilter(root, ['*.log', 'cache/']);
    t.equal(filter.excludes('app.log', false), true);
    t.equal(filter.excludes('logs/app.log', false), true, 'a pattern without a slash matches at any depth');
    t.equal(filter.excludes('cache', true), true, 'a trailing slash matches directories');
    t.equal(filter.excludes('cache', false), false, '... and not a file of that name');
    t.equal(filter.excludes('index.php', false), false);
    t.equal(filter.excludes(IGNORE_FILE, false), true, 'the ignore file never ships');
    t.equal(loadTreeFilter(root).excludes('anything', false), false, 'no patterns: nothing else left out');
});
t.test('.codesyncignore at the root in gitignore syntax, plus --exclude', async (t) => {
    const root = t.testdir({ [IGNORE_FILE]: '# comment\n/node_modules\n*.tmp\n!keep.tmp\nstorage/**/*.cache\n' });
    const filter = loadTreeFilter(root, ['.env']);
    t.equal(filter.excludes('node_modules', true), true, 'anchored to the root');
    t.equal(filter.excludes('lib/node_modules', true), false, '... so not deeper');
    t.equal(filter.excludes('a/b.tmp', false), true);
    t.equal(filter.excludes('keep.tmp', false), false, 'a negation keeps a path');
    t.equal(filter.excludes('storage/x/y/z.cache', false), true);
    t.equal(filter.excludes('.env', false), true, '--exclude adds to the file');
    t.equal(filter.excludes('# comment', false), false, 'comments are not patterns');
});
t.test('an ignore file that cannot be read is USAGE naming it', async (t) => {
    const root = t.testdir({});
    mkdirSync(join(root, IGNORE_FILE));
    t.throws(() => loadTreeFilter(root), { code: 'USAGE', message: new RegExp(`cannot read .*${IGNORE_FILE.replace('.', '\\.')}`) });
    writeFileSync(join(root, 'unused'), '');
});
//# sourceMappingURL=tree-filter.test.js.map