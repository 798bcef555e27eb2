/** Wallet area: name and balance, rename, and new accounts. */
import { z } from 'zod';
import { InputError } from '../../shared/errors';
import { LnbitsConnection } from './connection';
import type { LnbitsKeyKind } from './errors';

export interface LnbitsWalletInfo {
	name: string;
	balanceMsat: number;
	balanceSats: number;
	/** Only returned when the admin key was used. */
	id?: string;
}

export interface LnbitsNewWallet {
	id: string;
	userId: string;
	name: string;
	adminKey: string;
	invoiceKey: string;
	currency: string | null;
	lightningAddress: string | null;
	balanceMsat: number;
}

const walletSchema = z
	.object({ name: z.string(), balance: z.number(), id: z.string().optional() })
	.passthrough();

const newWalletSchema = z
	.object({
		id: z.string(),
		user: z.string(),
		name: z.string(),
		adminkey: z.string(),
		inkey: z.string(),
		currency: z.string().nullish(),
		lightning_address: z.string().nullish(),
		balance_msat: z.number().nullish(),
	})
	.passthrough();
const renamedWalletSchema = z
	.object({ id: z.string(), name: z.string(), balance_msat: z.number().optional(), balance: z.number().optional() })
	.passthrough();

function walletInfo(raw: z.infer<typeof walletSchema>): LnbitsWalletInfo {
	const balanceMsat = Math.trunc(raw.balance);
	const info: LnbitsWalletInfo = { name: raw.name, balanceMsat, balanceSats: Math.floor(balanceMsat / 1000) };
	if (raw.id) info.id = raw.id;
	return info;
}

export class LnbitsWalletApi extends LnbitsConnection {

	/** Wallet name and balance. With `key: 'admin'` LNbits also returns the wallet id. */
	async getWallet(options: { key?: LnbitsKeyKind } = {}): Promise<LnbitsWalletInfo> {
		const raw = await this.http(options.key ?? 'invoice').request('GET', '/api/v1/wallet', {
			schema: walletSchema,
			resource: 'The wallet',
		});
		return walletInfo(raw);
	}


	/** Renames the wallet (admin key). */
	async renameWallet(name: string): Promise<LnbitsWalletInfo & { id: string }> {
		const newName = String(name ?? '').trim();
		if (!newName) throw new InputError('New Name', 'is required');
		if (newName.length > 200) throw new InputError('New Name', 'is longer than 200 characters');
		const raw = await this.admin('rename the wallet').request('PATCH', '/api/v1/wallet', {
			json: { name: newName },
			schema: renamedWalletSchema,
			resource: 'The wallet',
			retry: true,
		});
		const balanceMsat = Math.trunc(raw.balance_msat ?? raw.balance ?? 0);
		return { id: raw.id, name: raw.name, balanceMsat, balanceSats: Math.floor(balanceMsat / 1000) };
	}


	/**
	 * Creates a new LNbits account with one wallet (`POST /api/v1/account`, no key
	 * needed). Only works when the server allows new accounts. Returns the new keys.
	 */
	async createAccount(name: string): Promise<LnbitsNewWallet> {
		const walletName = String(name ?? '').trim();
		if (!walletName) throw new InputError('Wallet Name', 'is required');
		const raw = await this.invoiceHttp.request('POST', '/api/v1/account', {
			json: { name: walletName },
			schema: newWalletSchema,
		});
		return {
			id: raw.id,
			userId: raw.user,
			name: raw.name,
			adminKey: raw.adminkey,
			invoiceKey: raw.inkey,
			currency: raw.currency ?? null,
			lightningAddress: raw.lightning_address ?? null,
			balanceMsat: Math.trunc(raw.balance_msat ?? 0),
		};
	}
}
