/**
 * Payout processors: the automated senders that pay approved payouts
 * (GreenfieldPayoutProcessorsController.cs, GreenfieldStorePayoutProcessorsController.cs,
 * GreenfieldStoreAutomatedOnChainPayoutProcessorsController.cs,
 * GreenfieldStoreAutomatedLightningPayoutProcessorsController.cs).
 * Reading needs btcpay.store.canviewstoresettings, changing canmodifystoresettings.
 */
import { z } from 'zod';
import type { HttpClient } from '../../shared/http';
import { parseDecimalAmount } from '../../shared/amounts';
import { InputError } from '../../shared/errors';
import { parseInput, seg, storeIdSchema } from './schemas';
import { isBlank } from './paymentRequests';

export const ON_CHAIN_PROCESSOR = 'OnChainAutomatedPayoutSenderFactory';
export const LIGHTNING_PROCESSOR = 'LightningAutomatedPayoutSenderFactory';
export type ProcessorKind = 'onchain' | 'lightning';
const PROCESSOR: Record<ProcessorKind, string> = { onchain: ON_CHAIN_PROCESSOR, lightning: LIGHTNING_PROCESSOR };

export const PayoutProcessorSchema = z
	.object({ name: z.string(), friendlyName: z.string().nullish(), payoutMethods: z.array(z.string()).nullish() })
	.passthrough();
export type PayoutProcessor = z.output<typeof PayoutProcessorSchema>;

/**
 * Settings as BTCPay v2.4.1 sends them (OnChainAutomatedPayoutSettings /
 * LightningAutomatedPayoutSettings): `feeBlockTarget` (the spec says
 * feeTargetBlock), `threshold` a plain JSON number (no string converter),
 * `intervalSeconds` whole seconds.
 */
export const ProcessorSettingsSchema = z
	.object({
		payoutMethodId: z.string().nullish(),
		intervalSeconds: z.number().nullish(),
		feeBlockTarget: z.number().nullish(),
		threshold: z.union([z.number(), z.string()]).transform(String).nullish(),
		processNewPayoutsInstantly: z.boolean().nullish(),
	})
	.passthrough();
export type ProcessorSettings = z.output<typeof ProcessorSettingsSchema>;

export interface ProcessorSettingsInput {
	/** 60 to 86 400 seconds (BaseAutomatedPayoutProcessor.cs ValidateInterval: 1 minute to 1 day). */
	intervalSeconds: number | string;
	processNewPayoutsInstantly?: boolean;
	/** On-chain only: 1 to 1000 blocks (1 when not set). */
	feeBlockTarget?: number | string;
	/** On-chain only: pay only when the payouts add up to this much (BTC decimal). */
	threshold?: number | string;
}

export const PROCESSOR_LABELS = {
	storeId: 'Store',
	payoutMethodId: 'Payout Method',
	intervalSeconds: 'Interval (Seconds)',
	feeBlockTarget: 'Fee Block Target',
	threshold: 'Threshold (BTC)',
	processor: 'Processor',
} as const;
const L = PROCESSOR_LABELS;

const payoutMethodSchema = z
	.string()
	.trim()
	.regex(/^[A-Za-z0-9]{2,10}(-[A-Za-z]+)?$/, 'must be a payout method such as BTC-CHAIN or BTC-LN')
	.transform((v) => v.toUpperCase());

function wholeIn(value: unknown, field: string, min: number, max: number): number {
	const n = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(n) || n < min || n > max) throw new InputError(field, `must be a whole number between ${min} and ${max} (got ${String(value)})`, 'BTCPay');
	return n;
}

export class PayoutProcessorsApi {
	constructor(private readonly http: HttpClient) {}

	private storePath(storeId: string): string {
		return `/api/v1/stores${seg(parseInput(z.object({ storeId: storeIdSchema() }), { storeId }, L).storeId)}/payout-processors`;
	}

	private method(payoutMethodId: string | undefined, kind: ProcessorKind): string {
		const value = isBlank(payoutMethodId) ? (kind === 'onchain' ? 'BTC-CHAIN' : 'BTC-LN') : payoutMethodId;
		return parseInput(z.object({ payoutMethodId: payoutMethodSchema }), { payoutMethodId: value }, L).payoutMethodId;
	}

	/** Processors this server offers, with the payout methods each supports (any key). */
	async listAvailable(): Promise<PayoutProcessor[]> {
		return this.http.request('GET', '/api/v1/payout-processors', { schema: z.array(PayoutProcessorSchema), resource: 'The payout processors' });
	}

	/** Processors configured on the store. */
	async listForStore(storeId: string): Promise<PayoutProcessor[]> {
		return this.http.request('GET', this.storePath(storeId), { schema: z.array(PayoutProcessorSchema), resource: "The store's payout processors" });
	}

	/** Settings of the store's on-chain or Lightning processor for a payout method; null when not configured. */
	async getSettings(storeId: string, kind: ProcessorKind, payoutMethodId?: string): Promise<ProcessorSettings | null> {
		const path = `${this.storePath(storeId)}/${PROCESSOR[kind]}${seg(this.method(payoutMethodId, kind))}`;
		const list = await this.http.request('GET', path, { schema: z.array(ProcessorSettingsSchema), resource: 'The payout processor' });
		return list[0] ?? null;
	}

	/** Creates or replaces the processor's settings (PUT). */
	async updateSettings(storeId: string, kind: ProcessorKind, input: ProcessorSettingsInput, payoutMethodId?: string): Promise<ProcessorSettings> {
		const path = `${this.storePath(storeId)}/${PROCESSOR[kind]}${seg(this.method(payoutMethodId, kind))}`;
		if (isBlank(input.intervalSeconds)) throw new InputError(L.intervalSeconds, 'is required (60 to 86400 seconds)', 'BTCPay');
		const body: Record<string, unknown> = {
			intervalSeconds: wholeIn(input.intervalSeconds, L.intervalSeconds, 60, 86_400),
			processNewPayoutsInstantly: Boolean(input.processNewPayoutsInstantly),
		};
		if (kind === 'onchain') {
			if (!isBlank(input.feeBlockTarget)) body.feeBlockTarget = wholeIn(input.feeBlockTarget, L.feeBlockTarget, 1, 1000);
			if (!isBlank(input.threshold)) body.threshold = parseDecimalAmount(input.threshold, L.threshold, { allowZero: true, maxDecimals: 8, currency: 'BTC' });
		} else if (!isBlank(input.feeBlockTarget) || !isBlank(input.threshold)) {
			throw new InputError(isBlank(input.threshold) ? L.feeBlockTarget : L.threshold, 'applies to the on-chain processor only', 'BTCPay');
		}
		return this.http.request('PUT', path, { json: body, schema: ProcessorSettingsSchema, resource: 'The payout processor' });
	}

	/** Removes the processor for a payout method; 404 when it is not configured. */
	async remove(storeId: string, kind: ProcessorKind, payoutMethodId?: string): Promise<void> {
		const path = `${this.storePath(storeId)}/${PROCESSOR[kind]}${seg(this.method(payoutMethodId, kind))}`;
		await this.http.request('DELETE', path, { resource: 'The payout processor' });
	}
}
