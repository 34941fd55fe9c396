/** docs/agent.md. In its own module so `codesync wait` and `reload-hook` load none of the server side. */
export const DEFAULT_SOCKET_PATH = '/run/codesync/codesync.sock';
