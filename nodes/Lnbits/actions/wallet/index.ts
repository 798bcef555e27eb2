import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../../shared/errors';
import type { LnbitsClient } from '../../client';
import { defineLnbitsResource, getWalletId, noticeProperty, show, walletLocatorProperty, withClient } from '../common';

const R = 'wallet';

const fields: INodeProperties[] = [
	walletLocatorProperty(R, ['get', 'rename']),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(R, ['rename']),
	},
	{
		displayName: 'Wallet Name',
		name: 'walletName',
		type: 'string',
		default: '',
		required: true,
		description: 'Name of the wallet of the new account',
		displayOptions: show(R, ['createAccount']),
	},
	noticeProperty('keysNotice', 'The output holds the admin and invoice keys of the new wallet. Anyone who sees them can spend from it: store them in a credential and keep them out of logs.', show(R, ['createAccount'])),
];

/** Checks that the credential's wallet is the one chosen in the Wallet parameter. */
async function checkWallet(client: LnbitsClient, wanted: string | undefined): Promise<string | undefined> {
	if (!wanted) return undefined;
	let actual: string | undefined;
	if (client.hasAdminKey) {
		actual = (await client.getWallet({ key: 'admin' })).id;
	} else {
		actual = (await client.listPayments({ limit: 1 }))[0]?.walletId ?? undefined;
		if (!actual) {
			throw new InputError(
				'Wallet',
				'cannot be checked with only the Invoice/Read Key on a wallet without payments; leave it empty or add the Admin Key to the credential',
				'LNbits',
			);
		}
	}
	if (actual && actual.toLowerCase() !== wanted) {
		throw new InputError('Wallet', `is ${wanted}, but the credential's keys belong to wallet ${actual}`, 'LNbits');
	}
	return actual;
}

export const wallet = defineLnbitsResource({
	value: R,
	name: 'Wallet',
	description: 'The wallet of the credential',
	operations: {
		get: withClient({ name: 'Get', description: 'Get the wallet name and balance', action: 'Get the wallet' }, async (ctx, i, client) => {
			const id = await checkWallet(client, getWalletId(ctx, i));
			const info = await client.getWallet({ key: client.hasAdminKey ? 'admin' : 'invoice' });
			const out: IDataObject = { name: info.name, balanceSats: info.balanceSats, balanceMsat: info.balanceMsat };
			const walletId = info.id ?? id;
			if (walletId) out.id = walletId;
			return out;
		}),
		rename: withClient({ name: 'Rename', description: 'Rename the wallet (needs the admin key)', action: 'Rename the wallet' }, async (ctx, i, client) => {
			const name = ctx.getNodeParameter('newName', i, '') as string;
			if (!String(name ?? '').trim()) throw new InputError('New Name', 'is required', 'LNbits');
			await checkWallet(client, getWalletId(ctx, i));
			const info = await client.renameWallet(name);
			return { id: info.id, name: info.name, balanceSats: info.balanceSats, balanceMsat: info.balanceMsat };
		}),
		createAccount: withClient({ name: 'Create Account', description: 'Create a new LNbits account with one wallet (only where the server allows new accounts)', action: 'Create a new account and wallet' }, async (ctx, i, client) => {
			const w = await client.createAccount(ctx.getNodeParameter('walletName', i, '') as string);
			return {
				id: w.id,
				userId: w.userId,
				name: w.name,
				adminKey: w.adminKey,
				invoiceKey: w.invoiceKey,
				currency: w.currency,
				lightningAddress: w.lightningAddress,
				balanceSats: Math.floor(w.balanceMsat / 1000),
				url: client.baseUrl,
			};
		}),
	},
	defaultOperation: 'get',
	fields,
});
