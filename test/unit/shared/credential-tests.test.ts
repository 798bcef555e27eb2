/**
 * The BTCPay and LNbits credential tests (run by n8n through the nodes' testedBy):
 * every network failure is a sentence naming the full URL with its scheme and the
 * likely fix. ECONNREFUSED and the https-to-plain-http handshake are real loopback
 * sockets; the DNS, reset and certificate codes come from a fetch that fails as Node's does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';
import { testBtcPayCredential } from '../../../nodes/BtcPay/credentialTest';
import { BtcPay } from '../../../nodes/BtcPay/BtcPay.node';
import { BtcPayTrigger } from '../../../nodes/BtcPay/BtcPayTrigger.node';
import { BtcPayApi } from '../../../credentials/BtcPayApi.credentials';
import { testLnbitsCredential } from '../../../nodes/Lnbits/credentialTest';
import { LnbitsTrigger } from '../../../nodes/Lnbits/LnbitsTrigger.node';
import { LnbitsWebhookTrigger } from '../../../nodes/Lnbits/LnbitsWebhookTrigger.node';
import { describeUnreachable } from '../../../nodes/shared/reach';

const API_KEY = 'btcpay-secret-api-key-0123456789';
const INVOICE_KEY = 'a'.repeat(32);
const ADMIN_KEY = 'b'.repeat(32);
const cred = (data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: '1', name: 'c', type: 't', data });
/** A fetch failing the way Node's (undici) does: TypeError "fetch failed" with the socket error as cause. */
const failing = (code: string, message: string) => async () => {
	throw new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
};
type Fetch = typeof fetch;
const services = [
	{ name: 'BTCPay', run: (url: string, fetch?: Fetch) => testBtcPayCredential(cred({ url, apiKey: API_KEY }), fetch ? { fetch } : {}) },
	{ name: 'LNbits', run: (url: string, fetch?: Fetch) => testLnbitsCredential(cred({ url, invoiceKey: INVOICE_KEY }), fetch ? { fetch } : {}) },
] as const;

const fail = (code: string, message: string) => failing(code, message) as unknown as Fetch;
let plain: http.Server;
let plainPort: number;
let closedPort: number;
let answers: Record<string, { status: number; body: unknown }> = {};

beforeAll(async () => {
	plain = http.createServer((req, res) => {
		const answer = answers[req.url ?? ''] ?? { status: 404, body: { detail: 'Not found' } };
		res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
	});
	await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
	plainPort = (plain.address() as AddressInfo).port;
	const probe = http.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	closedPort = (probe.address() as AddressInfo).port;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterEach(() => {
	answers = {};
});
afterAll(async () => {
	await new Promise<void>((resolve) => plain.close(() => resolve()));
});

describe.each(services)('$name credential test', ({ name, run }) => {
	it('ECONNREFUSED: names the full URL and says nothing listens there', async () => {
		const result = await run(`http://127.0.0.1:${closedPort}`);
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			`Could not reach ${name} at http://127.0.0.1:${closedPort}: the connection was refused (nothing listens there). Check that ${name} is running and listens on port ${closedPort} of 127.0.0.1, and that the port in the Server URL is right.`,
		);
	});

	it('a plain-http server reached over the https added automatically: write http://…', async () => {
		const result = await run(`127.0.0.1:${plainPort}`);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`Could not reach ${name} at https://127.0.0.1:${plainPort} (https:// was added because the Server URL had no scheme): it does not answer over https, the server speaks plain http.`);
		expect(result.message).toContain(`Write http://127.0.0.1:${plainPort} as the Server URL`);
	});

	it('a plain-http server reached over a typed https://: the same fix, without the note', async () => {
		const result = await run(`https://127.0.0.1:${plainPort}/`);
		expect(result.message).toMatch(new RegExp(`^Could not reach ${name} at https://127\\.0\\.0\\.1:${plainPort}: it does not answer over https`));
		expect(result.message).toContain(`Write http://127.0.0.1:${plainPort} as the Server URL`);
	});

	it('ENOTFOUND: the host name, the URL and a typo check', async () => {
		const result = await run('btcpay.exampel.test', fail('ENOTFOUND', 'getaddrinfo ENOTFOUND btcpay.exampel.test'));
		expect(result.message).toBe(
			`Could not reach ${name} at https://btcpay.exampel.test (https:// was added because the Server URL had no scheme): the host name btcpay.exampel.test was not found (no DNS entry). Check the Server URL in the credential for a typo in the host name; a name known only to your computer or to Docker must also resolve where n8n runs.`,
		);
	});

	it('an untrusted certificate is named as such', async () => {
		const result = await run('https://self.signed.test', fail('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'));
		expect(result.message).toMatch(/^Could not reach .* at https:\/\/self\.signed\.test: its TLS certificate is not publicly trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Give self\.signed\.test a certificate/);
	});

	it('a wrong key is answered with the key to check', async () => {
		answers[name === 'BTCPay' ? '/api/v1/api-keys/current' : '/api/v1/wallet'] = { status: 401, body: { detail: 'Invalid key' } };
		const result = await run(`http://127.0.0.1:${plainPort}`);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(name === 'BTCPay' ? /^BTCPay Server does not accept this API key/ : /^LNbits does not accept this key. Check the Invoice\/Read Key/);
	});

	it('no API at this address (404) says so', async () => {
		const result = await run(`http://127.0.0.1:${plainPort}`);
		expect(result.message).toMatch(/No BTCPay Greenfield API at this address|LNbits found no wallet for this key/);
	});

	it('an error without a code shows its text, with the secret redacted', async () => {
		const noCode = (async () => {
			throw new TypeError('fetch failed', { cause: new Error(`proxy refused ${name === 'BTCPay' ? API_KEY : INVOICE_KEY}`) });
		}) as unknown as Fetch;
		const result = await run('https://leak.test', noCode);
		expect(result.message).toBe(`Could not reach ${name} at https://leak.test: the connection failed (proxy refused ***). Check the Server URL in the credential and that the server is running and reachable from n8n.`);
	});

	it('a reset connection says who closed it', async () => {
		const result = await run('https://leak.test', fail('ECONNRESET', `socket hang up ${API_KEY} ${INVOICE_KEY}`));
		expect(result.message).toBe(
			`Could not reach ${name} at https://leak.test: the connection was closed by the other side. Check the Server URL in the credential and that no proxy or firewall cuts connections to leak.test.`,
		);
	});
});

describe('successful tests', () => {
	it('BTCPay names the server and the key', async () => {
		answers['/api/v1/api-keys/current'] = { status: 200, body: { apiKey: API_KEY, label: 'n8n', permissions: ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice'] } };
		const result = await testBtcPayCredential(cred({ url: `http://127.0.0.1:${plainPort}/api/v1/`, apiKey: API_KEY }));
		expect(result).toEqual({ status: 'OK', message: `Connected to BTCPay Server at http://127.0.0.1:${plainPort} with the API key "n8n" (2 permissions)` });
	});

	it('LNbits names the wallet and which keys work', async () => {
		answers['/api/v1/wallet'] = { status: 200, body: { name: 'Shop', balance: 21000 } };
		const url = `http://127.0.0.1:${plainPort}`;
		expect(await testLnbitsCredential(cred({ url, invoiceKey: INVOICE_KEY }))).toEqual({
			status: 'OK',
			message: `Connected to the LNbits wallet "Shop" at ${url} (receive only: no Admin Key)`,
		});
		expect(await testLnbitsCredential(cred({ url, invoiceKey: INVOICE_KEY, adminKey: ADMIN_KEY }))).toEqual({
			status: 'OK',
			message: `Connected to the LNbits wallet "Shop" at ${url} (Invoice/Read Key and Admin Key)`,
		});
	});

	it('an empty URL is an input error naming the field', async () => {
		expect(await testBtcPayCredential(cred({ url: ' ', apiKey: API_KEY }))).toEqual({ status: 'Error', message: 'Server URL: is required' });
	});
});

describe('wiring', () => {
	it('the credentials have no declarative test (n8n would use it first) and every node tests them', () => {
		expect('test' in new BtcPayApi()).toBe(false);
		for (const node of [new BtcPay(), new BtcPayTrigger()]) {
			expect(node.description.credentials?.[0]).toMatchObject({ name: 'btcPayApi', testedBy: 'btcPayApiTest' });
			expect(typeof node.methods.credentialTest.btcPayApiTest).toBe('function');
		}
		for (const node of [new LnbitsTrigger(), new LnbitsWebhookTrigger()]) {
			expect(node.description.credentials?.[0]).toMatchObject({ name: 'lnbitsApi', testedBy: 'lnbitsApiTest' });
			expect(typeof node.methods.credentialTest.lnbitsApiTest).toBe('function');
		}
	});
});

describe('describeUnreachable', () => {
	it.each([
		['EPROTO', 'https://pay.test:8443/btcpay', /speaks plain http/, /Write http:\/\/pay\.test:8443\/btcpay as the Server URL/],
		['ECONNREFUSED', 'https://pay.test', /connection was refused/, /the default https port 443 of pay\.test/],
		['EAI_AGAIN', 'https://pay.test', /could not be looked up right now/, /DNS of the machine running n8n/],
		['ETIMEDOUT', 'https://pay.test', /no answer from pay\.test \(ETIMEDOUT\)/, /firewall or proxy/],
		['CERT_HAS_EXPIRED', 'https://pay.test', /certificate has expired/, /Renew the certificate of pay\.test/],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'https://pay.test', /issued for another host name than pay\.test/, /host name the certificate was issued for/],
		['EWHATEVER', 'https://pay.test', /the connection failed \(EWHATEVER\)/, /reachable from n8n/],
	])('%s at %s', (code, url, message, hint) => {
		const result = describeUnreachable('BTCPay', url, code);
		expect(result.message).toMatch(new RegExp(`^Could not reach BTCPay at ${url.replace(/[.]/g, '\\.')}: `));
		expect(result.message).toMatch(message);
		expect(result.hint).toMatch(hint);
	});

	it('EPROTO over plain http is not told to write http', () => {
		expect(describeUnreachable('LNbits', 'http://pay.test', 'EPROTO').message).toBe('Could not reach LNbits at http://pay.test: the connection failed (EPROTO)');
	});
});
