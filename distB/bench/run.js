/**
 * `npm run bench -- NAME [ARGS...]` runs one benchmark of bench/benches.ts and prints its figures.
 * Benchmarks measure; tests assert. Nothing here runs in `npm test`.
 */
import { benches } from './benches.js';
const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [args...]\n`);
    process.exit(2);
}
await (await load())(args);
//# sourceMappingURL=run.js.map