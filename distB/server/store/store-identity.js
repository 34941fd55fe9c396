import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
/**
 * Reads the store's identity, or gives a new store one (written durably before the server
 * answers anything). Agents compare it across responses (`x-codesync-store-id`): another id
 * means another store, whose seqs say nothing about the releases they hold.
 */
export async function loadStoreIdentity(fs, logger) {
    const path = join(fs.dataDir, 'store.json');
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw err;
        const identity = { id: randomUUID(), createdAt: new Date().toISOString() };
        await fs.writeFile(path, JSON.stringify(identity));
        logger.info({ storeId: identity.id }, 'store identity created');
        return identity;
    }
    const identity = JSON.parse(text);
    // Written with temp + rename, so it is whole or absent; anything else is not ours to replace.
    if (typeof identity.id !== 'string' || identity.id === '' || typeof identity.createdAt !== 'string') {
        throw new Error(`${path} holds no store identity {id, createdAt}; restore it from a backup, or move the data dir away to start a new store`);
    }
    return { id: identity.id, createdAt: identity.createdAt };
}
//# sourceMappingURL=store-identity.js.map