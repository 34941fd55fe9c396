import { addOptions } from '../option-table.js';
import { publishOptions } from '../publish/publish-options.js';
export function registerPublish(program) {
    const command = program
        .command('publish')
        .description('publish DIR as a new release of --app (uploads only the blobs the server lacks), or import rsync://host[:port]/module/path on the server')
        .argument('<source>', 'directory to publish, or rsync://host[:port]/module/path for the server to import');
    addOptions(command, publishOptions).action(async (source, flags) => (await import('../actions/publish.js')).runPublish(source, flags));
}
//# sourceMappingURL=publish.js.map