/**
 * Every node's codex documentation links and every credential's documentationUrl lead to the
 * package's page on npm (its README) at an anchor that is a heading of README.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BtcPayApi } from '../../credentials/BtcPayApi.credentials';
import { LnbitsApi } from '../../credentials/LnbitsApi.credentials';
import { LndRestApi } from '../../credentials/LndRestApi.credentials';

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#';
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** GitHub's (and npm's) heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

const anchors = new Set(
	fs
		.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((l) => /^#{1,6} /.test(l))
		.map((l) => anchor(l.replace(/^#+ /, ''))),
);

function section(url: string): string {
	expect(url.startsWith(PAGE)).toBe(true);
	const a = url.slice(PAGE.length);
	expect(anchors).toContain(a);
	return a;
}

const codexFiles: string[] = pkg.n8n.nodes.map((dist: string) => dist.replace(/^dist\//, '').replace(/\.js$/, '.json'));

test.each(codexFiles)('%s: primary and credential documentation are README sections on npm', (file) => {
	const codex = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
	const primary = codex.resources.primaryDocumentation.map((d: { url: string }) => section(d.url));
	const credential = codex.resources.credentialDocumentation.map((d: { url: string }) => section(d.url));
	expect(primary).toHaveLength(1);
	expect(credential).toHaveLength(1);
	// A trigger's own section names it (e.g. "LNbits Webhook Trigger" → #lnbits-webhook-trigger).
	if (/Trigger\.node\.json$/.test(file)) expect(primary[0]).toMatch(/-trigger$/);
});

test.each([
	['BTCPay Server API', new BtcPayApi(), 'btcpay-server'],
	['LNbits API', new LnbitsApi(), 'lnbits'],
	['LND REST API', new LndRestApi(), 'lnd'],
])('credential %s links to its README section', (_name, credential, expected) => {
	expect(section(credential.documentationUrl)).toBe(expected);
});
