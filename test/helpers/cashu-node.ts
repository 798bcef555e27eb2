/**
 * Runs the Cashu node's real execute() (test/helpers/execute-context.ts) with a
 * Cashu Mint credential and, for redeem and send, an LNbits credential; and makes
 * test tokens from a real mint through the client.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Cashu } from '../../nodes/Cashu/Cashu.node';
import { CashuMintClient } from '../../nodes/Cashu/client';
import { executeContext } from './execute-context';

export interface CashuRunOptions {
	mintUrl: string;
	trustedMints?: string;
	lnbits?: { url: string; invoiceKey: string; adminKey?: string };
	continueOnFail?: boolean;
	items?: number;
}

export async function runCashu(parameters: IDataObject | ((i: number) => IDataObject), options: CashuRunOptions): Promise<INodeExecutionData[]> {
	const credentials: Record<string, ICredentialDataDecryptedObject> = {
		cashuMintApi: { mintUrl: options.mintUrl, trustedMints: options.trustedMints ?? '' },
	};
	if (options.lnbits) credentials.lnbitsApi = { ...options.lnbits };
	const ctx = executeContext({
		nodeType: new Cashu(),
		parameters,
		credentials,
		continueOnFail: options.continueOnFail,
		items: Array.from({ length: options.items ?? 1 }, () => ({ json: {} })),
	});
	const [out] = await new Cashu().execute.call(ctx);
	return out;
}

export async function runCashuJson(parameters: IDataObject, options: CashuRunOptions): Promise<IDataObject> {
	const out = await runCashu(parameters, options);
	return out[0].json;
}

/** The error the node throws for these parameters (fails the test when it does not throw). */
export async function runCashuError(parameters: IDataObject, options: CashuRunOptions): Promise<Error & { description?: string }> {
	try {
		await runCashu(parameters, options);
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('the Cashu node did not fail');
}

/** A token of `amount` sat minted at a FakeWallet mint (its quotes count as paid at once). */
export async function fakeMintToken(mintUrl: string, amount: number): Promise<string> {
	const client = new CashuMintClient({ mintUrl });
	const quote = await client.createMintQuote(amount);
	for (let i = 0; i < 50; i++) {
		const q = await client.checkMintQuote(quote.quote);
		if (q.state === 'PAID') break;
		await new Promise((r) => setTimeout(r, 100));
	}
	return client.encode(await client.mintProofs(amount, quote.quote));
}

/**
 * A local HTTP server standing in for a mint nobody trusts (it counts the requests it gets),
 * and `forge(token)`: the same proofs claimed by that mint.
 */
export async function untrustedMint(realMintUrl: string): Promise<{ url: string; requests: () => number; forge(token: string): Promise<string>; close(): void }> {
	let count = 0;
	const server = http.createServer((_req, res) => {
		count++;
		res.writeHead(500).end();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		requests: () => count,
		async forge(token) {
			const { getDecodedToken, getEncodedToken } = await import('@cashu/cashu-ts');
			const keysets = (await (await fetch(`${realMintUrl}/v1/keysets`)).json()).keysets.map((k: { id: string }) => k.id);
			return getEncodedToken({ ...getDecodedToken(token, keysets), mint: url });
		},
		close: () => server.close(),
	};
}
