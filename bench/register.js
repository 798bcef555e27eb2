/**
 * Require hook that lets Node run the bench (and the test helpers it uses)
 * straight from TypeScript: each .ts file is transpiled to CommonJS with the
 * project's TypeScript compiler (no type check; `npm run typecheck` covers
 * bench/). Files keep their real location, so `__dirname` based paths in the
 * test harnesses stay valid. Usage: node --no-experimental-strip-types -r ./bench/register.js <file.ts>
 */
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	isolatedModules: true,
	sourceMap: false,
	inlineSourceMap: true,
	inlineSources: false,
};

require.extensions['.ts'] = function loadTs(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
	module._compile(outputText, filename);
};

// Resolve `./X.node` to X.node.ts before the codex file X.node.json (jest's order: js, ts, json, node).
for (const ext of ['.json', '.node']) {
	const loader = require.extensions[ext];
	delete require.extensions[ext];
	require.extensions[ext] = loader;
}
