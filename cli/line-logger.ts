import { hostname } from 'node:os';

/** The part of a pino logger the reload-hook sidecar uses. */
export interface LineLogger {
  debug(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
  child(bindings: object): LineLogger;
}

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/**
 * pino's JSON line format (`level`, `time`, `pid`, `hostname`, `name`, fields, `msg`) without
 * pino: the reload-hook sidecar runs in every app pod, and pino's modules cost each of them several
 * MB (issue 13, target 7). It logs a few lines per reload and never a token, so it needs no
 * redaction, no transports and no async buffering; everything else logs through cli/logger.ts.
 */
export function createLineLogger(options: { name: string; level?: string }, write: (line: string) => void = (line) => process.stdout.write(line)): LineLogger {
  const threshold = LEVELS[(options.level ?? process.env.CODESYNC_LOG_LEVEL ?? 'info') as keyof typeof LEVELS] ?? LEVELS.info;
  const base = { pid: process.pid, hostname: hostname(), name: options.name };
  const make = (bindings: object): LineLogger => {
    const at = (level: keyof typeof LEVELS) => (fields: object, msg: string) => {
      if (LEVELS[level] < threshold) return;
      write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), ...base, ...bindings, ...fields, msg })}\n`);
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (more) => make({ ...bindings, ...more }) };
  };
  return make({});
}
