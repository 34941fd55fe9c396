import t from 'tap';
import { etagMatches } from '../../../server/http/caching.js';
const etag = '"sha256:abc"';
t.test('If-None-Match against the current ETags', async (t) => {
    t.notOk(etagMatches(undefined, [etag]), 'no header');
    t.notOk(etagMatches('', [etag]), 'empty header');
    t.ok(etagMatches(etag, [etag]), 'the same tag');
    t.notOk(etagMatches('"sha256:abd"', [etag]), 'another tag');
    t.notOk(etagMatches('sha256:abc', [etag]), 'quotes are part of the tag');
    t.ok(etagMatches(`"x", ${etag}`, [etag]), 'one of a list');
    t.ok(etagMatches(`"x",${etag} ,"y"`, [etag]), 'list whitespace is ignored');
    t.ok(etagMatches(`W/${etag}`, [etag]), 'weak comparison, as RFC 9110 asks for If-None-Match');
    t.ok(etagMatches('*', [etag]), '* matches any current representation');
    t.ok(etagMatches('"old"', ['"new"', '"old"']), 'any of several current tags');
    t.notOk(etagMatches(etag, []), 'nothing current');
});
//# sourceMappingURL=caching.unit.js.map