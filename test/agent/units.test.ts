import { runUnits } from '../helpers/unit-files.js';

// The agent's pure unit tests (*.unit.ts here and below) share one process (test/helpers/unit-files.ts).
await runUnits(new URL('.', import.meta.url));
