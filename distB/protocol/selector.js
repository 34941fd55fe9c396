import { CodesyncError } from './errors.js';
// A qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY_RE = new RegExp(`^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?${NAME}$`);
const VALUE_RE = new RegExp(`^(${NAME})?$`);
export function parseSelector(source) {
    const requirements = splitRequirements(source).map((part) => parseRequirement(part.trim(), source));
    return {
        source,
        requirements,
        matches: (labels) => requirements.every((requirement) => requirementMatches(requirement, labels)),
    };
}
/** Whether `source` parses; the message of the error otherwise. */
export function selectorProblem(source) {
    try {
        parseSelector(source);
        return undefined;
    }
    catch (err) {
        return err.message;
    }
}
/** Parses `k=v,k2=v2` (the agent's --labels flag) into a label map. */
export function parseLabels(source) {
    const labels = {};
    for (const part of source.split(',').map((s) => s.trim()).filter(Boolean)) {
        const eq = part.indexOf('=');
        const key = eq === -1 ? part : part.slice(0, eq);
        const value = eq === -1 ? '' : part.slice(eq + 1);
        if (!KEY_RE.test(key) || !VALUE_RE.test(value))
            throw new CodesyncError('INVALID_SELECTOR', `invalid label ${JSON.stringify(part)}: want key=value`);
        labels[key] = value;
    }
    return labels;
}
function requirementMatches(requirement, labels) {
    const has = Object.hasOwn(labels, requirement.key);
    switch (requirement.op) {
        case 'exists':
            return has;
        case '!exists':
            return !has;
        case 'in':
            return has && requirement.values.includes(labels[requirement.key]);
        case 'notin':
            return !has || !requirement.values.includes(labels[requirement.key]);
    }
}
/** Splits on commas outside parentheses. */
function splitRequirements(source) {
    if (source.trim() === '')
        return [];
    const parts = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i];
        if (ch === '(')
            depth++;
        else if (ch === ')')
            depth--;
        if (depth < 0 || depth > 1)
            throw invalid(source, 'unbalanced parentheses');
        if (ch === ',' && depth === 0) {
            parts.push(source.slice(start, i));
            start = i + 1;
        }
    }
    if (depth !== 0)
        throw invalid(source, 'unbalanced parentheses');
    parts.push(source.slice(start));
    return parts;
}
const SET_RE = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQUALITY_RE = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;
function parseRequirement(part, source) {
    if (part === '')
        throw invalid(source, 'empty requirement');
    const set = SET_RE.exec(part);
    if (set) {
        const [, key, op, list] = set;
        const values = list.split(',').map((v) => v.trim());
        if (values.length === 1 && values[0] === '')
            throw invalid(source, `'${key} ${op} ()' needs at least one value`);
        for (const value of values)
            checkValue(value, source);
        return { key: checkKey(key, source), op, values };
    }
    const equality = EQUALITY_RE.exec(part);
    if (equality) {
        const [, key, op, value] = equality;
        checkValue(value, source);
        return { key: checkKey(key, source), op: op === '!=' ? 'notin' : 'in', values: [value] };
    }
    if (part.startsWith('!'))
        return { key: checkKey(part.slice(1).trim(), source), op: '!exists' };
    return { key: checkKey(part, source), op: 'exists' };
}
function checkKey(key, source) {
    if (!KEY_RE.test(key))
        throw invalid(source, `invalid label key ${JSON.stringify(key)}`);
    return key;
}
function checkValue(value, source) {
    if (!VALUE_RE.test(value))
        throw invalid(source, `invalid label value ${JSON.stringify(value)}`);
}
function invalid(source, why) {
    return new CodesyncError('INVALID_SELECTOR', `invalid node selector ${JSON.stringify(source)}: ${why}`);
}
//# sourceMappingURL=selector.js.map