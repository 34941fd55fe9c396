/**
 * The first `size` bytes of an open file, read into one buffer: for files written once and never
 * changed (blobs, release bodies), so fewer bytes than the size known for it is a fault.
 */
export async function readExactly(handle, size, what) {
    const bytes = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    if (bytesRead !== size)
        throw new Error(`${what} holds ${bytesRead} bytes, not the ${size} it had`);
    return bytes;
}
//# sourceMappingURL=read-exactly.js.map