const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Icons live once in icons/; n8n resolves `file:` icons next to each compiled
// node and credential file, so they are copied into every folder that uses them.
const targets = {
	'dist/nodes/BtcPay': ['btcpay.svg'],
	'dist/nodes/Lnbits': ['lnbits.svg'],
	'dist/nodes/Lnd': ['lnd.svg'],
	'dist/credentials': ['btcpay.svg', 'lnbits.svg', 'lnd.svg'],
};

const copies = Object.entries(targets).map(([to, files]) => {
	const copy = () =>
		src(
			files.map((f) => path.resolve('icons', f)),
			{ encoding: false },
		).pipe(dest(path.resolve(to)));
	copy.displayName = `icons → ${to}`;
	return copy;
});

// Codex files (<Node>.node.json) sit next to each node; tsc does not copy them.
const codex = () => src('nodes/**/*.node.json', { base: 'nodes' }).pipe(dest(path.resolve('dist/nodes')));
codex.displayName = 'codex → dist/nodes';

task('build:icons', parallel(...copies, codex));
