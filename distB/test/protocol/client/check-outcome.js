/**
 * The code and the field path (the text after "at ") a response check fails with, or 'ok': what
 * a hand-written check and its schema's must agree on.
 */
export function outcome(check) {
    try {
        check();
        return 'ok';
    }
    catch (err) {
        const { code, message } = err;
        return `${code} ${/ at (\S+?):? /.exec(message)?.[1] ?? '?'}`;
    }
}
//# sourceMappingURL=check-outcome.js.map