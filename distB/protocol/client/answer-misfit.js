import { CodesyncError } from '../errors.js';
/**
 * The error of an answer a hand check refuses (publish-answers.ts, node-answers.ts): the code and
 * the field path its schema's check (response-check.ts) would have given.
 */
export function misfit(what, where, message, code = 'INVALID_RESPONSE') {
    return new CodesyncError(code, `the answer to ${what} is not what the protocol allows at ${where}: ${message}`);
}
/**
 * Checks an object answer member by member, failing on the member TypeBox's error list names
 * first: a missing required member (in schema order), else the first present member that does
 * not fit. Other members pass, as the schemas allow them.
 */
export function checkMembers(value, what, rules) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw misfit(what, '(the body)', 'Expected object');
    const members = value;
    for (const rule of rules)
        if (rule.required && !(rule.key in members))
            throw misfit(what, `/${rule.key}`, 'Expected required property', rule.code);
    for (const rule of rules) {
        const member = members[rule.key];
        if ((rule.required || member !== undefined) && !rule.fits(member))
            throw misfit(what, `/${rule.key}${rule.below?.(member) ?? ''}`, rule.expected, rule.code);
    }
    return members;
}
//# sourceMappingURL=answer-misfit.js.map