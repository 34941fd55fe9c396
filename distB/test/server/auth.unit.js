import t from 'tap';
import { hasTokens, parseTokenFile, TokenSet } from '../../server/auth.js';
t.test('parseTokenFile: a scope and a token a line; comments and blank lines ignored', async (t) => {
    t.same(parseTokenFile('# ci\npublish:p1\r\n\n  read:r1  \nread:r2\n'), { publish: ['p1'], read: ['r1', 'r2'] });
    t.same(parseTokenFile(''), { publish: [], read: [] });
});
t.test('parseTokenFile: a bad line is USAGE naming its number, never its text (it holds a secret)', async (t) => {
    for (const line of ['admin:s3cret', 'publish:', 'publish:two words', 's3cret']) {
        const err = (() => {
            try {
                parseTokenFile(`publish:ok\n${line}\n`);
            }
            catch (caught) {
                return caught;
            }
            return undefined;
        })();
        t.match(err, { code: 'USAGE', message: /line 2: want publish:<token> or read:<token>/ }, line);
        t.notMatch(err?.message ?? '', /s3cret|words/, 'the secret is not echoed');
    }
});
t.test('hasTokens', async (t) => {
    t.equal(hasTokens(undefined), false);
    t.equal(hasTokens({ publish: [], read: [] }), false);
    t.equal(hasTokens({ publish: [], read: ['r'] }), true);
});
t.test('TokenSet: scopes by token, a publish token wins over the same token as read, replace swaps all at once', async (t) => {
    const set = new TokenSet({ publish: ['p', 'both'], read: ['r', 'both'] });
    t.equal(set.scopeOf('p'), 'publish');
    t.equal(set.scopeOf('r'), 'read');
    t.equal(set.scopeOf('both'), 'publish');
    t.equal(set.scopeOf('unknown'), undefined);
    set.replace({ publish: ['p2'], read: [] });
    t.same(['p', 'r', 'p2'].map((token) => set.scopeOf(token)), [undefined, undefined, 'publish'], 'old tokens are gone the moment new ones apply');
    t.throws(() => set.replace({ publish: [], read: [] }), { code: 'USAGE' }, 'rotating to no token is refused');
    t.equal(set.scopeOf('p2'), 'publish', 'and the set in use is kept');
    t.throws(() => new TokenSet({ publish: [], read: [] }), { code: 'USAGE' });
});
//# sourceMappingURL=auth.unit.js.map