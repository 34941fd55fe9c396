import { reportFailure } from './fail.js';
import { buildProgram } from './program.js';

try {
  await (await buildProgram()).parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportFailure(err);
}
