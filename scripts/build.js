#!/usr/bin/env node
// Builds dist/: all nodes and credentials in one CommonJS bundle, dist/index.js (esbuild), with
// every runtime library (ky, zod, @noble/hashes, light-bolt11-decoder) inside it and n8n-workflow
// left to n8n. Each file listed in package.json's n8n field is a two-line entry that takes its class
// from the bundle, so n8n loads the shared code once however many nodes it loads.
// dist/index.js.map maps back to the TypeScript files (`node --enable-source-maps` prints them in
// stack traces); it names the sources but does not embed them. Icons and codex files: gulp build:icons.
//   node scripts/build.js            build once
//   node scripts/build.js --watch    rebuild on change
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = require('../package.json');
const dist = path.join(root, 'dist');
const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((file) => {
	const className = path.basename(file).split('.')[0];
	const source = file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	if (!fs.existsSync(path.join(root, source))) throw new Error(`${file}: no source ${source}`);
	return { file, className, source };
});

const index = entries.map((e) => `export { ${e.className} } from './${e.source.replace(/\.ts$/, '')}';`).join('\n');

const options = {
	stdin: { contents: index, resolveDir: root, sourcefile: 'index.ts', loader: 'ts' },
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node22',
	outfile: path.join(dist, 'index.js'),
	external: ['n8n-workflow'],
	sourcemap: true,
	sourcesContent: false,
	// Identifiers are not minified: class and function names stay as written (n8n reads node classes
	// by their export name; stack traces stay readable without the map).
	minifyWhitespace: true,
	minifySyntax: true,
	// The bundled libraries' licenses go in full to dist/THIRD-PARTY-LICENSES.txt instead.
	legalComments: 'none',
	logLevel: 'warning',
	metafile: true,
};

/** The license of every library inside the bundle, in full (they are MIT; the notice must ship with the code). */
function writeLicenses(metafile) {
	const packages = new Map();
	for (const input of Object.keys(metafile.inputs)) {
		// The innermost package (a dependency nested under another one's node_modules counts too).
		const m = input.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//);
		if (!m || packages.has(m[2])) continue;
		const dir = path.join(root, m[1]);
		const meta = require(path.join(dir, 'package.json'));
		const file = fs.readdirSync(dir).find((f) => /^licen[sc]e/i.test(f));
		if (!file) throw new Error(`${m[1]}: no license file to ship with the bundle`);
		packages.set(m[2], { version: meta.version, license: meta.license, text: fs.readFileSync(path.join(dir, file), 'utf8').trim() });
	}
	const text = [...packages]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, p]) => `${name}@${p.version} (${p.license})\n\n${p.text}\n`)
		.join('\n----------------------------------------\n\n');
	fs.writeFileSync(path.join(dist, 'THIRD-PARTY-LICENSES.txt'), `Libraries bundled into dist/index.js\n\n${text}`);
	return [...packages.keys()];
}

function writeEntries() {
	for (const e of entries) {
		const out = path.join(root, e.file);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		const rel = path.relative(path.dirname(out), path.join(dist, 'index.js')).split(path.sep).join('/');
		fs.writeFileSync(
			out,
			`'use strict';\n// ${e.className} from the package bundle (built from ${e.source}).\nexports.${e.className} = require('${rel.startsWith('.') ? rel : `./${rel}`}').${e.className};\n`,
		);
	}
}

async function main() {
	if (process.argv.includes('--watch')) {
		fs.mkdirSync(dist, { recursive: true });
		writeEntries();
		const ctx = await esbuild.context(options);
		await ctx.watch();
		console.log('build: watching nodes/ and credentials/');
		return;
	}
	fs.rmSync(dist, { recursive: true, force: true });
	const result = await esbuild.build(options);
	writeEntries();
	const bundled = writeLicenses(result.metafile);
	const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'))[1];
	const share = {};
	for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
		const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
		const key = m ? m[1] : 'package code';
		share[key] = (share[key] ?? 0) + bytesInOutput;
	}
	const parts = Object.entries(share).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}`);
	const bytes = fs.statSync(options.outfile).size;
	console.log(`build: dist/index.js ${(bytes / 1024).toFixed(1)} KiB (KiB: ${parts.join(', ')}), ${entries.length} entries; bundled: ${bundled.join(', ')}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
