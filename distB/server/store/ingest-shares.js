/**
 * Three quarters of libuv's thread pool (UV_THREADPOOL_SIZE, 4 when unset; the chart sets 64) for
 * the fdatasyncs of uploads: many files synced together let the disk commit them at once, and the
 * quarter left over keeps a stat or a download from queueing behind them. Of that share, a
 * quarter for streamed blobs (few and big) and the rest for the write worker's small ones.
 */
export function ingestShares() {
    const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    const ingest = Math.max(2, Math.floor((threads * 3) / 4));
    const streamed = Math.max(1, Math.floor(ingest / 4));
    return { streamed, worker: ingest - streamed };
}
//# sourceMappingURL=ingest-shares.js.map