import nock from 'nock';
import { CashuMintClient, errorCategory } from '../../../nodes/Cashu/client';
import { caught } from '../../helpers/caught';
import { freePort } from '../../helpers/processes';
import { MINT, TOKEN, mintBasics, recorded, secretsOf, stateReply } from './fixtures';

const client = () => new CashuMintClient({ mintUrl: MINT, retryDelayMs: 1 });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CashuMintClient', () => {
	it('summarizes NUT-06 info: supported NUTs ascending, contact, motd', async () => {
		nock(MINT).get('/v1/info').reply(200, recorded.info);
		const info = await client().getInfo();
		expect(info).toMatchObject({ name: 'Test mint', version: 'Nutshell/0.20.0', motd: 'test mint: not real money', contact: [{ method: 'email', info: 'ops@mint.test' }] });
		expect(info.supportedNuts).toEqual([4, 5, 7, 8, 9, 10, 11, 12, 14, 17, 20]);
	});

	it('marks a disabled NUT as unsupported and reads the older [method, info] contact pairs', async () => {
		nock(MINT).get('/v1/info').reply(200, { ...recorded.info, contact: [['nostr', 'npub1x']], nuts: { ...recorded.info.nuts, 4: { methods: [], disabled: true } } });
		const info = await client().getInfo();
		expect(info.supportedNuts).not.toContain(4);
		expect(info.contact).toEqual([{ method: 'nostr', info: 'npub1x' }]);
	});

	it('lists keysets with their input fee', async () => {
		nock(MINT).get('/v1/keysets').reply(200, recorded.keysets);
		expect(await client().getKeysets()).toEqual([{ id: recorded.keysets.keysets[0].id, unit: 'sat', active: true, inputFeePpk: 100, finalExpiry: null }]);
	});

	it('retries GET requests with backoff on 503, and the idempotent POST /v1/checkstate', async () => {
		nock(MINT).get('/v1/info').times(2).reply(503, 'busy').get('/v1/info').reply(200, recorded.info);
		expect((await client().getInfo()).name).toBe('Test mint');
		mintBasics();
		nock(MINT).post('/v1/checkstate').reply(502, 'bad gateway').post('/v1/checkstate').reply(200, stateReply('UNSPENT'));
		expect((await client().checkState(TOKEN)).state).toBe('UNSPENT');
		expect(nock.isDone()).toBe(true);
	});

	it('never retries a melt, swap or mint: the mint may have acted on the first', async () => {
		mintBasics();
		let melts = 0;
		nock(MINT)
			.get(`/v1/melt/quote/bolt11/${recorded.meltQuote.quote}`)
			.reply(200, recorded.meltQuote)
			.post('/v1/melt/bolt11')
			.times(3)
			.reply(() => {
				melts++;
				return [503, 'down'];
			});
		const c = client();
		const proofs = await c.proofsOf(TOKEN);
		const error = await caught(c.melt(recorded.meltQuote.quote, TOKEN, proofs));
		expect(melts).toBe(1);
		expect(error.kind).toBe('server');
		expect(errorCategory(error.kind)).toBe('network');
	});

	it('maps a mint refusal (400 {detail, code}) to a mint error with its code', async () => {
		nock(MINT).get('/v1/info').reply(400, { detail: 'Token already spent.', code: 11001 });
		const error = await caught(client().getInfo());
		expect(error).toMatchObject({ kind: 'business', code: '11001', status: 400 });
		expect(error.message).toBe('The mint refused GET /v1/info: Token already spent. (code 11001)');
		expect(error.hint).toBe('The token (or part of it) was already spent.');
		expect(errorCategory(error.kind)).toBe('mint');
	});

	it('keeps proof secrets out of a mint error that echoes them (Nutshell database errors quote SQL parameters)', async () => {
		mintBasics();
		const [, secret, signature] = secretsOf();
		nock(MINT).post('/v1/checkstate').reply(400, {
			detail: `(sqlite3.IntegrityError) UNIQUE constraint failed: proofs_used.y\n[SQL: INSERT INTO proofs_used ...]\n[parameters: (8, '${signature}', '${secret}')]`,
			code: 0,
		});
		const error = await caught(client().checkState(TOKEN));
		expect(error.message).toBe('The mint refused POST /v1/checkstate: (sqlite3.IntegrityError) UNIQUE constraint failed: proofs_used.y (database error) (code 0)');
		for (const s of secretsOf()) expect(JSON.stringify({ ...error, message: error.message })).not.toContain(s.slice(0, 16));
	});

	it('a refused connection is a network error naming the mint URL', async () => {
		// A real closed loopback port: nock's replyWithError does not behave like a refused fetch.
		const port = await freePort();
		nock.enableNetConnect('127.0.0.1');
		try {
			const error = await caught(new CashuMintClient({ mintUrl: `http://127.0.0.1:${port}`, retryDelayMs: 1 }).getInfo());
			expect(error.kind).toBe('network');
			expect(error.message).toMatch(new RegExp(`Could not reach Cashu mint at http://127\\.0\\.0\\.1:${port}: the connection was refused`));
			expect(errorCategory(error.kind)).toBe('network');
		} finally {
			nock.disableNetConnect();
		}
	});
});
