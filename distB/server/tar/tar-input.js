import { createGunzip } from 'node:zlib';
import tar, {} from 'tar-stream';
import { CodesyncError, isCodesyncError } from '../../protocol/errors.js';
const GZIP_MAGIC = [0x1f, 0x8b];
/**
 * Reads a tar (gzip-compressed when `gzip` or when its first bytes say so) and calls `onEntry`
 * for each entry in order; the entry's body must be consumed before the next one arrives.
 * Stream errors become TRUNCATED_BODY (body ended early) or INVALID_TAR (corrupt).
 */
export async function readTar(source, gzip, onEntry) {
    let stopFeeding = () => { };
    // When the body fails (client gone, gzip corrupt), the extractor is destroyed with that error
    // and a half-read entry only says STREAM_DESTROYED: the input's error is the one to report.
    let inputError;
    try {
        const head = await firstChunk(source);
        const gzipped = gzip || (head !== undefined && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]);
        const extract = tar.extract();
        stopFeeding = feed(gzipped ? gunzipped(source) : source, extract, (err) => (inputError = err));
        for await (const entry of extract) {
            await onEntry({ header: entry.header, body: entry });
        }
    }
    catch (err) {
        stopFeeding();
        // Drain what the client still sends, so the error reaches it and the connection stays usable.
        source.unpipe();
        if (!source.destroyed)
            source.resume();
        throw tarError(inputError ?? err);
    }
}
/**
 * The tar bytes of a body: gunzipped when `gzip` or when its first bytes say so. The body is
 * never destroyed here; on failure, `drain` it so the client hears the error.
 */
export async function decodedTar(source, gzip) {
    const head = await firstChunk(source);
    const gzipped = gzip || (head !== undefined && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]);
    return gzipped ? gunzipped(source) : source;
}
/** Reads and drops what the client still sends, so an error reaches it and the connection stays usable. */
export function drain(source) {
    source.unpipe();
    if (!source.destroyed)
        source.resume();
}
function gunzipped(source) {
    const gunzip = createGunzip();
    source.on('error', (err) => gunzip.destroy(err));
    return source.pipe(gunzip);
}
/**
 * Writes the (decoded) body into the extractor with backpressure. tar-stream streams are streamx
 * streams, which Node's pipeline does not fully speak, hence by hand; the source is never
 * destroyed here, so a refused body can still be drained. Returns a function that detaches.
 */
function feed(input, extract, onInputError) {
    const onData = (chunk) => {
        if (extract.write(chunk))
            return;
        input.pause();
        extract.once('drain', () => input.resume());
    };
    const onEnd = () => extract.end(undefined);
    const onError = (err) => {
        onInputError(err);
        extract.destroy(err);
    };
    input.on('data', onData).once('end', onEnd).once('error', onError);
    return () => {
        input.off('data', onData).off('end', onEnd).off('error', onError);
        input.resume();
    };
}
/** A failure while reading a tar as the client should hear it: TRUNCATED_BODY, INVALID_TAR, or itself. */
export function tarError(err) {
    if (isCodesyncError(err))
        return err;
    const error = err;
    const message = error?.message ?? String(err);
    if (error?.code === 'ENOSPC' || error?.code === 'EDQUOT')
        return err;
    if (/Unexpected end of data/i.test(message) || error?.code === 'Z_BUF_ERROR' || message === 'aborted' || error?.code === 'ECONNRESET' || error?.code === 'ERR_STREAM_PREMATURE_CLOSE' || error?.code === 'STREAM_DESTROYED') {
        return new CodesyncError('TRUNCATED_BODY', `the tar stream ended early: ${message}`, { cause: err });
    }
    if (error?.code?.startsWith('Z_') || /tar|header|checksum/i.test(message)) {
        return new CodesyncError('INVALID_TAR', `corrupt tar stream: ${message}`, { cause: err });
    }
    return err;
}
/** Waits for the first bytes without consuming them; undefined for an empty stream. */
async function firstChunk(stream) {
    for (;;) {
        const chunk = stream.read();
        if (chunk !== null) {
            stream.unshift(chunk);
            return chunk;
        }
        if (stream.readableEnded || stream.destroyed)
            return undefined;
        await new Promise((resolve, reject) => {
            const settle = (err) => {
                stream.off('readable', settle);
                stream.off('end', settle);
                stream.off('error', settle);
                stream.off('close', settle);
                if (err)
                    reject(err);
                else
                    resolve();
            };
            stream.on('readable', settle);
            stream.on('end', settle);
            stream.on('error', settle);
            stream.on('close', settle);
        });
        if (stream.errored)
            throw stream.errored;
    }
}
//# sourceMappingURL=tar-input.js.map