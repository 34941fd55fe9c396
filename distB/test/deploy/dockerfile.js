/**
 * Just enough of the Dockerfile syntax for static checks: comments, `\` continuations,
 * `FROM image AS name` stages and exec-form JSON arrays. Not a general parser (no ARG expansion,
 * no heredocs), which this project's Dockerfile does not use.
 */
export function parseDockerfile(text) {
    const logical = text
        .split('\n')
        .filter((line) => !/^\s*#/.test(line))
        .join('\n')
        .replace(/\\\n/g, ' ')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    const stages = [];
    for (const line of logical) {
        const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
        const instruction = keyword.toUpperCase();
        if (instruction === 'FROM') {
            const [from = '', , name = String(stages.length)] = rest.split(/\s+/);
            stages.push({ from, name, instructions: [] });
            continue;
        }
        const exec = rest.startsWith('[');
        const args = exec ? JSON.parse(rest) : rest.split(/\s+/);
        const stage = stages.at(-1);
        if (!stage)
            throw new Error(`Dockerfile: ${instruction} before FROM`);
        stage.instructions.push({ instruction, args, exec });
    }
    return stages;
}
//# sourceMappingURL=dockerfile.js.map