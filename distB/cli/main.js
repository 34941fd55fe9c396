process.stderr.write(`T main ${performance.now().toFixed(0)}\n`);
import { reportFailure } from './fail.js';
try {
    // The reload-hook sidecar runs in every app pod, publish in every CI job: their plain command
    // lines start without commander (cli/reload-hook/fast-start.ts, cli/publish/fast-start.ts);
    // anything else goes to the program.
    const command = process.argv[2];
    const args = process.argv.slice(3);
    const started = (command === 'reload-hook' && (await (await import('./reload-hook/fast-start.js')).startReloadHook(args))) ||
        (command === 'publish' && (await (await import('./publish/fast-start.js')).startPublish(args)));
    if (!started)
        await (await (await import('./program.js')).buildProgram()).parseAsync(process.argv);
}
catch (err) {
    process.exitCode = reportFailure(err);
}
//# sourceMappingURL=main.js.map