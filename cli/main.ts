import { reportFailure } from './fail.js';

try {
  // The reload-hook sidecar runs in every app pod: its plain command lines start without
  // commander or the option tables (cli/reload-hook/fast-start.ts); anything else goes to the program.
  const started = process.argv[2] === 'reload-hook' && (await (await import('./reload-hook/fast-start.js')).startReloadHook(process.argv.slice(3)));
  if (!started) await (await (await import('./program.js')).buildProgram()).parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportFailure(err);
}
