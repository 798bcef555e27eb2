#!/usr/bin/env node
// Checks what `npm pack` would publish: every node and credential listed in
// package.json's n8n field, their icons and codex files, and nothing from src/test.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const pkg = require('../package.json');
const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const files = new Set(JSON.parse(out)[0].files.map((f) => f.path));
const problems = [];
const need = (file, why) => {
	if (!files.has(file)) problems.push(`missing ${file} (${why})`);
};
for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
	need(entry, 'listed in package.json n8n field');
	const src = path.join(__dirname, '..', entry);
	if (!fs.existsSync(src)) continue;
	const text = fs.readFileSync(src, 'utf8');
	for (const m of text.matchAll(/file:([\w./-]+\.(?:svg|png))/g)) need(path.posix.join(path.posix.dirname(entry), m[1]), `icon of ${entry}`);
	if (entry.endsWith('.node.js')) need(entry.replace(/\.js$/, '.json'), `codex of ${entry}`);
}
for (const f of files) {
	if (!f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'LICENSE.md'].includes(f)) problems.push(`unexpected file ${f}`);
	if (/\.test\.|\/test\//.test(f)) problems.push(`test file packed: ${f}`);
}
const size = JSON.parse(out)[0].unpackedSize;
if (problems.length) {
	console.error(`pack check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`pack check ok: ${files.size} files, ${(size / 1024).toFixed(1)} KiB unpacked`);
