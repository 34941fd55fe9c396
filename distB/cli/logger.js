import { pino } from 'pino';
/**
 * JSON logs to stdout, one line an event (docs/design.md#wire-contracts). Tokens never reach a log line: the paths
 * below cover request headers as fastify logs them and any option object that carries a token.
 */
export function createLogger(options = {}) {
    const config = {
        level: options.level ?? process.env.CODESYNC_LOG_LEVEL ?? 'info',
        redact: {
            paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token', 'tokens'],
            censor: '[redacted]',
        },
    };
    if (options.name)
        config.name = options.name;
    return pino(config);
}
//# sourceMappingURL=logger.js.map