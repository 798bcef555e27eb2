/**
 * Greenfield stores: list, get, create, update.
 * Permissions: view needs btcpay.store.canviewstoresettings; create needs
 * btcpay.store.canmodifystoresettings (unscoped); update needs it for the store.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { InputError } from '../../shared/errors';
import { currencyCodeSchema, parseInput, seg, speedPolicySchema, storeIdInputSchema, httpUrlSchema } from './schemas';

export const storeSchema = z
	.object({
		id: z.string(),
		name: z.string(),
		website: z.string().nullish(),
		defaultCurrency: z.string().optional(),
		invoiceExpiration: z.number().optional(),
		monitoringExpiration: z.number().optional(),
		speedPolicy: z.string().optional(),
		defaultLang: z.string().optional(),
		archived: z.boolean().optional(),
	})
	.passthrough();
export type Store = z.infer<typeof storeSchema>;

/** Store settings this client can set; everything else keeps its current value on update. */
export const storeSettingsSchema = z
	.object({
		name: z.string().trim().min(1, 'is required').max(50, 'must be at most 50 characters'),
		website: httpUrlSchema.optional(),
		defaultCurrency: currencyCodeSchema.optional(),
		/** Seconds (60 to 2 073 600). */
		invoiceExpiration: z.number().int('must be whole seconds').min(60, 'must be at least 60 seconds (1 minute)').max(2_073_600, 'must be at most 24 days').optional(),
		/** Seconds (600 to 2 073 600). */
		monitoringExpiration: z.number().int('must be whole seconds').min(600, 'must be at least 600 seconds').max(2_073_600, 'must be at most 24 days').optional(),
		speedPolicy: speedPolicySchema.optional(),
		defaultLang: z.string().trim().min(2).max(10).optional(),
		paymentTolerance: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').optional(),
		anyoneCanCreateInvoice: z.boolean().optional(),
		archived: z.boolean().optional(),
	})
	.strict();
export type StoreSettings = z.input<typeof storeSettingsSchema>;
export type StoreChanges = Partial<StoreSettings>;

export const STORE_LABELS: Record<string, string> = {
	storeId: 'Store',
	name: 'Name',
	website: 'Website',
	defaultCurrency: 'Default Currency',
	invoiceExpiration: 'Invoice Expiration',
	monitoringExpiration: 'Monitoring Expiration',
	speedPolicy: 'Speed Policy',
	defaultLang: 'Default Language',
	paymentTolerance: 'Payment Tolerance',
	anyoneCanCreateInvoice: 'Anyone Can Create Invoice',
	archived: 'Archived',
};

/** Validates a store ID (throws InputError naming `field`). */
export function parseStoreId(value: unknown, field = 'Store'): string {
	return parseInput(storeIdInputSchema, { storeId: value }, { storeId: field }).storeId;
}

export class StoresApi {
	constructor(private readonly http: HttpClient) {}

	async list(): Promise<Store[]> {
		return this.http.request('GET', '/api/v1/stores', { schema: z.array(storeSchema) });
	}

	async get(storeId: string): Promise<Store> {
		const id = parseStoreId(storeId);
		return this.http.request('GET', `/api/v1/stores${seg(id)}`, { schema: storeSchema, resource: `Store "${id}"` });
	}

	async create(settings: StoreSettings): Promise<Store> {
		const body = parseInput(storeSettingsSchema, settings, STORE_LABELS);
		return this.http.request('POST', '/api/v1/stores', { json: body, schema: storeSchema });
	}

	/**
	 * Changes the given settings and keeps the others. Greenfield's PUT resets
	 * omitted settings to defaults, so the current store is read first.
	 */
	async update(storeId: string, changes: StoreChanges): Promise<Store> {
		const id = parseStoreId(storeId);
		const parsed = parseInput(storeSettingsSchema.partial(), changes, STORE_LABELS);
		if (Object.keys(parsed).length === 0) throw new InputError('Update Fields', 'choose at least one field to change');
		const current = await this.get(id);
		const body: Record<string, unknown> = { ...current, ...parsed };
		delete body.id;
		return this.http.request('PUT', `/api/v1/stores${seg(id)}`, { json: body, schema: storeSchema, resource: `Store "${id}"` });
	}
}
