import { CodesyncError } from './errors.js';
/** docs/design.md#data-model: a DNS-label-like name, so an app name is also a safe directory and label value. */
export const APP_NAME_PATTERN = '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$';
const APP_NAME_RE = new RegExp(APP_NAME_PATTERN);
export function isAppName(name) {
    return typeof name === 'string' && APP_NAME_RE.test(name) && name !== '.' && !name.includes('..');
}
export function assertAppName(name) {
    if (!isAppName(name)) {
        throw new CodesyncError('INVALID_APP_NAME', `invalid app name ${JSON.stringify(name)}: use lowercase letters, digits, '.' and '-', at most 63 characters, starting and ending with a letter or digit`);
    }
}
//# sourceMappingURL=app-name.js.map