import { importUnits } from '../helpers/unit-files.js';
// The CLI's pure unit tests (*.unit.ts here and below) share this one process (test/helpers/unit-files.ts).
await importUnits(new URL('.', import.meta.url));
//# sourceMappingURL=units.test.js.map