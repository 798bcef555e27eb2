/** Flat, workflow-friendly views of LND objects: hex hashes, ISO dates, sats as numbers, msat as strings. */
import { isoFromUnixSeconds } from '../../shared/time';
import type { ChannelBalance, GetInfo, Invoice, PayReq, Payment, WalletBalance } from './schemas';

export type Flat = Record<string, string | number | boolean | null | string[]>;

export function b64ToHex(value: string | undefined): string {
	return value ? Buffer.from(value, 'base64').toString('hex') : '';
}

/** Sats fit in a JS number (21e14 < 2^53); msat stay strings. */
function sats(value: string | undefined): number {
	return value === undefined ? 0 : Number(value);
}

/** LND's uint64 seconds ('0': not set) → ISO 8601, or null. */
const isoFromSeconds = (value: string | undefined): string | null => isoFromUnixSeconds(value, { positiveOnly: true }) ?? null;

const ZERO_HASH = /^0*$/;

export function paymentState(status: string): 'succeeded' | 'pending' | 'failed' | 'unknown' {
	switch (status) {
		case 'SUCCEEDED':
			return 'succeeded';
		case 'FAILED':
			return 'failed';
		case 'IN_FLIGHT':
		case 'INITIATED':
			return 'pending';
		default:
			return 'unknown';
	}
}

export function simplifyInfo(info: GetInfo): Flat {
	const chain = info.chains?.[0];
	return {
		pubkey: info.identity_pubkey,
		alias: info.alias ?? '',
		version: info.version ?? '',
		network: chain?.network ?? '',
		blockHeight: info.block_height ?? 0,
		syncedToChain: info.synced_to_chain ?? false,
		syncedToGraph: info.synced_to_graph ?? false,
		activeChannels: info.num_active_channels ?? 0,
		peers: info.num_peers ?? 0,
		uris: ((info as { uris?: string[] }).uris ?? []).slice(),
	};
}

export function simplifyChannelBalance(b: ChannelBalance): Flat {
	return {
		localSats: sats(b.local_balance?.sat ?? b.balance),
		localMsat: b.local_balance?.msat ?? String(BigInt(b.balance ?? '0') * 1000n),
		remoteSats: sats(b.remote_balance?.sat),
		remoteMsat: b.remote_balance?.msat ?? '0',
		unsettledLocalSats: sats(b.unsettled_local_balance?.sat),
		unsettledRemoteSats: sats(b.unsettled_remote_balance?.sat),
		pendingOpenLocalSats: sats(b.pending_open_local_balance?.sat ?? b.pending_open_balance),
		pendingOpenRemoteSats: sats(b.pending_open_remote_balance?.sat),
	};
}

export function simplifyWalletBalance(b: WalletBalance): Flat {
	return {
		totalSats: sats(b.total_balance),
		confirmedSats: sats(b.confirmed_balance),
		unconfirmedSats: sats(b.unconfirmed_balance),
		lockedSats: sats(b.locked_balance),
		reservedAnchorSats: sats(b.reserved_balance_anchor_chan),
	};
}

export function simplifyInvoice(inv: Invoice): Flat {
	const settled = inv.state === 'SETTLED' || inv.settled === true;
	const created = Number(inv.creation_date ?? '0');
	const expiry = Number(inv.expiry ?? '0');
	return {
		paymentHash: b64ToHex(inv.r_hash),
		paymentRequest: inv.payment_request ?? '',
		memo: inv.memo ?? '',
		state: inv.state ?? (settled ? 'SETTLED' : 'OPEN'),
		settled,
		amountSats: sats(inv.value),
		amountMsat: inv.value_msat ?? String(BigInt(inv.value ?? '0') * 1000n),
		amountPaidSats: sats(inv.amt_paid_sat),
		amountPaidMsat: inv.amt_paid_msat ?? '0',
		createdAt: isoFromSeconds(inv.creation_date),
		settledAt: settled ? isoFromSeconds(inv.settle_date) : null,
		expiresAt: created && expiry ? new Date((created + expiry) * 1000).toISOString() : null,
		expirySeconds: expiry,
		addIndex: inv.add_index ?? '0',
		settleIndex: inv.settle_index ?? '0',
		preimage: settled ? b64ToHex(inv.r_preimage) || null : null,
		isKeysend: inv.is_keysend ?? false,
	};
}

export function simplifyPayment(p: Payment): Flat {
	const state = paymentState(p.status);
	const preimage = p.payment_preimage && !ZERO_HASH.test(p.payment_preimage) ? p.payment_preimage : null;
	const createdNs = p.creation_time_ns ? BigInt(p.creation_time_ns) : 0n;
	return {
		paymentHash: p.payment_hash,
		status: state,
		lndStatus: p.status,
		amountSats: sats(p.value_sat),
		amountMsat: p.value_msat ?? '0',
		feeSats: sats(p.fee_sat),
		feeMsat: p.fee_msat ?? '0',
		preimage: state === 'succeeded' ? preimage : null,
		paymentRequest: p.payment_request ?? '',
		paymentIndex: p.payment_index ?? '0',
		createdAt: createdNs > 0n ? new Date(Number(createdNs / 1_000_000n)).toISOString() : null,
		failureReason: p.failure_reason && p.failure_reason !== 'FAILURE_REASON_NONE' ? p.failure_reason : null,
	};
}

export function simplifyPayReq(r: PayReq, paymentRequest: string): Flat {
	const timestamp = Number(r.timestamp ?? '0');
	const expiry = Number(r.expiry ?? '3600');
	return {
		paymentRequest,
		paymentHash: r.payment_hash,
		destination: r.destination,
		amountSats: sats(r.num_satoshis),
		amountMsat: r.num_msat ?? String(BigInt(r.num_satoshis ?? '0') * 1000n),
		description: r.description ?? '',
		descriptionHash: r.description_hash ?? '',
		createdAt: isoFromSeconds(r.timestamp),
		expiresAt: timestamp ? new Date((timestamp + expiry) * 1000).toISOString() : null,
		expirySeconds: expiry,
		cltvExpiry: Number(r.cltv_expiry ?? '0'),
	};
}
