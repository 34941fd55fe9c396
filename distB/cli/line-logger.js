import { hostname } from 'node:os';
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 };
/**
 * pino's JSON line format (`level`, `time`, `pid`, `hostname`, `name`, fields, `msg`) without
 * pino: the reload-hook sidecar runs in every app pod, and pino's modules cost each of them several
 * MB (issue 13, target 7). It logs a few lines per reload and never a token, so it needs no
 * redaction, no transports and no async buffering; everything else logs through cli/logger.ts.
 */
export function createLineLogger(options, write = (line) => process.stdout.write(line)) {
    const threshold = LEVELS[(options.level ?? process.env.CODESYNC_LOG_LEVEL ?? 'info')] ?? LEVELS.info;
    const base = { pid: process.pid, hostname: hostname(), name: options.name };
    const make = (bindings) => {
        const at = (level) => (fields, msg) => {
            if (LEVELS[level] < threshold)
                return;
            write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), ...base, ...bindings, ...fields, msg })}\n`);
        };
        return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => make({ ...bindings, ...more }) };
    };
    return make({});
}
//# sourceMappingURL=line-logger.js.map