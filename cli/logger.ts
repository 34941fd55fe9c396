import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * JSON logs to stdout, one line an event (docs/design.md#wire-contracts). Tokens never reach a log line: the paths
 * below cover request headers as fastify logs them and any option object that carries a token.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.CODESYNC_LOG_LEVEL ?? 'info',
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token', 'tokens'],
      censor: '[redacted]',
    },
  };
  if (options.name) config.name = options.name;
  return pino(config);
}
