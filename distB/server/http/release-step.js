import { appParam, baseQuery, parseSeq } from './params.js';
/**
 * The step `/v1/apps/:app/releases/:seq/...?base=N` names: the target release and, when asked,
 * the release a node holds, with their manifests. Packs are a function of this pair.
 */
export async function releaseStep(releases, request) {
    const name = appParam(request.params);
    const seq = parseSeq(request.params.seq);
    const baseSeq = baseQuery(request.query);
    const release = releases.summary(name, seq);
    const baseRelease = baseSeq === undefined ? undefined : releases.summary(name, baseSeq);
    const manifest = await releases.manifest(name, seq);
    const base = baseRelease && { release: baseRelease, manifest: await releases.manifest(name, baseRelease.seq) };
    return { release, manifest, base };
}
//# sourceMappingURL=release-step.js.map