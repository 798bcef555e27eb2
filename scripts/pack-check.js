#!/usr/bin/env node
// Checks the tarball `npm publish` would upload (built with `npm pack`, then unpacked):
// - only dist/, README.md, LICENSE and package.json; no tests, TypeScript sources or .cache;
// - every node and credential listed in package.json's n8n field, with its icons and codex file;
// - source maps name files only inside the package and embed no sources (sourcesContent);
// - no text file holds a private key, a local absolute path or an unredacted test secret.
// Run after `npm run build`.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = require('../package.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-check-'));
const problems = [];
try {
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const info = JSON.parse(out)[0];
	execFileSync('tar', ['-xzf', path.join(tmp, info.filename), '-C', tmp]);
	const dir = path.join(tmp, 'package');
	const files = new Set(info.files.map((f) => f.path));
	const need = (file, why) => {
		if (!files.has(file)) problems.push(`missing ${file} (${why})`);
	};
	for (const f of ['package.json', 'README.md', 'LICENSE']) need(f, 'always shipped');
	for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
		need(entry, 'listed in package.json n8n field');
		const file = path.join(dir, entry);
		if (!fs.existsSync(file)) continue;
		const text = fs.readFileSync(file, 'utf8');
		for (const m of text.matchAll(/file:([\w./-]+\.(?:svg|png))/g)) need(path.posix.join(path.posix.dirname(entry), m[1]), `icon of ${entry}`);
		if (entry.endsWith('.node.js')) need(entry.replace(/\.js$/, '.json'), `codex of ${entry}`);
	}
	const secrets = [
		[/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
		[/(?:\/work\/|\/home\/|\/root\/|\/Users\/|[A-Z]:\\\\Users\\\\)/, 'a local absolute path'],
		[/\.cache\//, 'a .cache path'],
	];
	for (const f of files) {
		if (!f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f)) problems.push(`unexpected file ${f}`);
		if (/\.test\.|(^|\/)test\/|(^|\/)\.cache\//.test(f)) problems.push(`test or cache file packed: ${f}`);
		if (/\.(?:ts|mts|cts)$/.test(f)) problems.push(`TypeScript source packed: ${f}`);
		const full = path.join(dir, f);
		if (/\.(?:js|json|map|md)$/.test(f) && f !== 'README.md') {
			const text = fs.readFileSync(full, 'utf8');
			for (const [re, what] of secrets) if (re.test(text)) problems.push(`${f} contains ${what}`);
		}
		if (f.endsWith('.map')) {
			const map = JSON.parse(fs.readFileSync(full, 'utf8'));
			if (map.sourcesContent?.some((s) => s)) problems.push(`${f} embeds sources (sourcesContent)`);
			for (const s of map.sources ?? []) {
				const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(f), s));
				if (path.posix.isAbsolute(s) || resolved.startsWith('..')) problems.push(`${f} names a file outside the package: ${s}`);
			}
		}
	}
	if (problems.length) {
		console.error(`pack check failed:\n- ${problems.join('\n- ')}`);
		process.exitCode = 1;
	} else {
		console.log(`pack check ok: ${files.size} files, ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
	}
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
}
