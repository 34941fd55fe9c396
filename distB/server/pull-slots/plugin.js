import { createPullMeter } from './index.js';
/**
 * Pull metering as a server plugin: the slot routes, their metrics on the server's /metrics, and
 * the gate every blob route passes. `codesync server` and `codesync up` both install it.
 */
export function pullMeterPlugin(options) {
    return async (app, context) => {
        const meter = createPullMeter({ ...options, registry: context.registry });
        context.setBlobGate(meter.gate);
        app.addHook('onClose', async () => meter.close());
        await app.register(meter.routes);
    };
}
//# sourceMappingURL=plugin.js.map