const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Icons live once in icons/ and are copied to dist/icons/: nodes name them as
// `file:../../icons/<name>.svg` and credentials as `file:../icons/<name>.svg`,
// which n8n resolves from each compiled file, as in the source tree.
const icons = () => src('icons/*.{svg,png}', { encoding: false }).pipe(dest(path.resolve('dist/icons')));
icons.displayName = 'icons → dist/icons';

// Codex files (<Node>.node.json) sit next to each node; tsc does not copy them.
const codex = () => src('nodes/**/*.node.json', { base: 'nodes' }).pipe(dest(path.resolve('dist/nodes')));
codex.displayName = 'codex → dist/nodes';

task('build:icons', parallel(icons, codex));
