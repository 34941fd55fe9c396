/** `--keep-releases <n>` → `keep-releases`. */
export function longName(spec) {
    const match = /--([a-z0-9-]+)/.exec(spec.flags);
    if (!match)
        throw new Error(`option ${spec.flags} has no long name`);
    return match[1];
}
/** The variable the option reads, or undefined. */
export function envVarOf(spec) {
    if (spec.env === false || longName(spec).startsWith('no-'))
        return undefined;
    return spec.env ?? `CODESYNC_${longName(spec).toUpperCase().replaceAll('-', '_')}`;
}
//# sourceMappingURL=option-spec.js.map