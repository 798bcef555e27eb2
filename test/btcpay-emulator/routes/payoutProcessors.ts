/**
 * Payout processors (automated senders), BTCPay v2.4.1:
 * - GET /api/v1/payout-processors: every factory with its payout methods
 *   (Controllers/GreenField/GreenfieldPayoutProcessorsController.cs; names and friendly names from
 *   PayoutProcessors/OnChain/OnChainAutomatedPayoutSenderFactory.cs and
 *   PayoutProcessors/Lightning/LightningAutomatedPayoutSenderFactory.cs).
 * - GET /api/v1/stores/{storeId}/payout-processors: configured ones grouped by processor, and
 *   DELETE …/{processor}/{paymentMethod}: 404 (no body) when none matches
 *   (GreenfieldStorePayoutProcessorsController.cs).
 * - GET/PUT …/OnChainAutomatedPayoutSenderFactory/{paymentMethod} and …/LightningAutomatedPayoutSenderFactory/{payoutMethodId}
 *   (GreenfieldStoreAutomated{OnChain,Lightning}PayoutProcessorsController.cs): GET answers a list (empty when not
 *   configured); PUT validates the interval (1 minute to 1 day, BaseAutomatedPayoutProcessor.cs ValidateInterval) and
 *   feeBlockTarget (1 to 1000), replaces the settings (omitted fields reset: feeBlockTarget 1, threshold 0,
 *   processNewPayoutsInstantly false) and answers them. The models send `feeBlockTarget` and a numeric `threshold`
 *   (OnChainAutomatedPayoutSettings.cs), whatever the spec says (openapi.ts corrects it).
 *   PUT needs canmodifystoresettings ([Authorize(Policy = Policies.CanModifyStoreSettings)]), the spec says canviewstoresettings.
 */
import { validationError, type BtcPayEmulator, type EmulatorRequest, type Json } from '../server';
import { findStore, storeNotFound } from './stores';

const ON_CHAIN = 'OnChainAutomatedPayoutSenderFactory';
const LIGHTNING = 'LightningAutomatedPayoutSenderFactory';
const FRIENDLY: Record<string, string> = { [ON_CHAIN]: 'Automated Bitcoin Sender', [LIGHTNING]: 'Automated Lightning Sender' };
const SUPPORTED: Record<string, string[]> = { [ON_CHAIN]: ['BTC-CHAIN'], [LIGHTNING]: ['BTC-LN'] };

interface ProcessorRecord {
	processor: string;
	payoutMethodId: string;
	intervalSeconds: number;
	processNewPayoutsInstantly: boolean;
	feeBlockTarget?: number;
	threshold?: number;
}

export function processorsOf(emulator: BtcPayEmulator, storeId: string): ProcessorRecord[] {
	const map = ((emulator.state.payoutProcessors as Map<string, ProcessorRecord[]> | undefined) ??= new Map()) as Map<string, ProcessorRecord[]>;
	let list = map.get(storeId);
	if (!list) map.set(storeId, (list = []));
	return list;
}

/** PayoutMethodId.Parse: the legacy ids `BTC` / `BTC-LightningNetwork` are read as BTC-CHAIN / BTC-LN. */
function parseMethod(raw: string): string {
	const v = raw.toUpperCase();
	if (v === 'BTC' || v === 'BTC-ONCHAIN') return 'BTC-CHAIN';
	if (v === 'BTC-LIGHTNINGNETWORK' || v === 'BTC-LIGHTNINGLIKE') return 'BTC-LN';
	return v;
}

function toModel(r: ProcessorRecord): Json {
	const out: Json = { payoutMethodId: r.payoutMethodId, intervalSeconds: r.intervalSeconds };
	if (r.processor === ON_CHAIN) {
		out.feeBlockTarget = r.feeBlockTarget ?? 1;
		out.threshold = r.threshold ?? 0;
	}
	out.processNewPayoutsInstantly = r.processNewPayoutsInstantly;
	return out;
}

export function register(emulator: BtcPayEmulator): void {
	emulator.route('GET', '/api/v1/payout-processors', () => ({
		status: 200,
		body: [ON_CHAIN, LIGHTNING].map((name) => ({ name, friendlyName: FRIENDLY[name], payoutMethods: SUPPORTED[name] })),
	}));

	const base = '/api/v1/stores/{storeId}/payout-processors';
	emulator.route('GET', base, (req) => {
		const store = findStore(emulator, req.params.storeId);
		if (!store) return storeNotFound();
		const groups = new Map<string, string[]>();
		for (const r of processorsOf(emulator, store.id)) groups.set(r.processor, [...(groups.get(r.processor) ?? []), r.payoutMethodId]);
		return { status: 200, body: [...groups].map(([name, methods]) => ({ name, friendlyName: FRIENDLY[name] ?? null, payoutMethods: methods })) };
	});

	emulator.route(
		'DELETE',
		`${base}/{processor}/{paymentMethodId}`,
		(req) => {
			const store = findStore(emulator, req.params.storeId);
			if (!store) return storeNotFound();
			const list = processorsOf(emulator, store.id);
			const method = parseMethod(req.params.paymentMethodId);
			const index = list.findIndex((r) => r.processor === req.params.processor && r.payoutMethodId === method);
			if (index < 0) return { status: 404 };
			list.splice(index, 1);
			return { status: 200 };
		},
		{ permissions: ['btcpay.store.canmodifystoresettings'] },
	);

	for (const [processor, param] of [
		[ON_CHAIN, 'paymentMethodId'],
		[LIGHTNING, 'payoutMethodId'],
	] as const) {
		const one = `${base}/${processor}/{${param}}`;
		const get = (req: EmulatorRequest, method?: string) => {
			const store = findStore(emulator, req.params.storeId);
			if (!store) return storeNotFound();
			const list = processorsOf(emulator, store.id).filter((r) => r.processor === processor && (method === undefined || r.payoutMethodId === method));
			return { status: 200, body: list.map(toModel) };
		};
		emulator.route('GET', `${base}/${processor}`, (req) => get(req));
		emulator.route('GET', one, (req) => get(req, parseMethod(req.params[param])));
		emulator.route(
			'PUT',
			one,
			(req) => {
				const store = findStore(emulator, req.params.storeId);
				if (!store) return storeNotFound();
				const body = (req.body ?? {}) as Json;
				const errors: Array<{ path: string; message: string }> = [];
				// TimeSpanJsonConverter.Seconds: missing → TimeSpan.Zero, which is below the minimum.
				const interval = typeof body.intervalSeconds === 'number' ? body.intervalSeconds : 0;
				if (interval < 60) errors.push({ path: 'IntervalSeconds', message: 'The minimum interval is 60 seconds' });
				if (interval > 86_400) errors.push({ path: 'IntervalSeconds', message: 'The maximum interval is 86400 seconds' });
				const target = body.feeBlockTarget;
				if (processor === ON_CHAIN && typeof target === 'number' && (target < 1 || target > 1000)) errors.push({ path: 'FeeBlockTarget', message: 'The feeBlockTarget should be between 1 and 1000' });
				if (errors.length) return validationError(...errors);
				const method = parseMethod(req.params[param]);
				const list = processorsOf(emulator, store.id);
				const existing = list.findIndex((r) => r.processor === processor && r.payoutMethodId === method);
				const record: ProcessorRecord = { processor, payoutMethodId: method, intervalSeconds: Math.floor(interval), processNewPayoutsInstantly: body.processNewPayoutsInstantly === true };
				if (processor === ON_CHAIN) {
					record.feeBlockTarget = typeof target === 'number' ? target : 1;
					record.threshold = body.threshold === undefined || body.threshold === null ? 0 : Number(body.threshold);
				}
				if (existing >= 0) list[existing] = record;
				else list.push(record);
				return { status: 200, body: toModel(record) };
			},
			{ permissions: ['btcpay.store.canmodifystoresettings'] },
		);
	}
}
