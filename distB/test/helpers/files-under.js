import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
/** Every file under `dir`, recursively: what a write left behind, temp files included. */
export async function filesUnder(dir) {
    const found = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory())
            found.push(...(await filesUnder(join(dir, entry.name))));
        else
            found.push(join(dir, entry.name));
    }
    return found;
}
//# sourceMappingURL=files-under.js.map