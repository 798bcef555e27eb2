/**
 * Settled-invoice feed from LND's SubscribeInvoices stream
 * (`GET /v1/invoices/subscribe?settle_index=N`). LND replays every invoice
 * settled after N when the stream opens, so reconnecting with the last
 * delivered settle_index catches up on anything missed. A settled invoice is
 * delivered only when its settle_index is above the cursor, so replays and
 * reconnects never deliver the same invoice twice.
 *
 * A stream that stays open but delivers nothing (a proxy or NAT that stopped forwarding without
 * closing) is noticed by the stream check: every `probeIntervalMs` the newest invoices are listed
 * (one REST call, nothing is created on the node). The stream reports every invoice added and
 * settled, so an invoice added (add_index) or settled (settle_index) that the list shows and the
 * stream still has not reported one interval later means the stream is dead: it is reopened with
 * the cursor, and LND replays every invoice settled meanwhile. Two failed checks in a row reopen it
 * too. Detection takes at most about two intervals.
 */
import { ServiceError } from '../../shared/errors';
import type { LndClient } from './index';
import { invoiceSchema, type Invoice } from './schemas';
import { iterateJsonLines } from './stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface InvoiceSubscriptionOptions {
	client: LndClient;
	/** Last settle_index already delivered; undefined = start from the newest settled invoice now. */
	settleIndex?: string;
	onSettled: (invoice: Invoice) => Promise<void> | void;
	/** Called after each delivery with the new cursor (persist it). */
	onCursor?: (settleIndex: string) => void;
	log?: (level: LogLevel, message: string) => void;
	backoff?: { initialMs: number; maxMs: number };
	/** Reconnect (with catch-up) after this long without any data, ms (default 10 min). */
	idleReconnectMs?: number;
	/** Stop after this many deliveries (manual test runs). */
	maxEvents?: number;
	/** How many recent invoices to scan for the starting cursor (default 100). */
	baselineScan?: number;
	/** Stream check interval, ms (default 20 000; 0 = off). */
	probeIntervalMs?: number;
	/** Newest invoices listed by one stream check (default 50). */
	probeScan?: number;
}

const FATAL = new Set(['auth', 'permission', 'input', 'protocol']);

export class InvoiceSubscription {
	private cursor = 0n;
	/** Highest add_index reported (by the starting list or the stream). */
	private addSeen = 0n;
	/** Stream checks that reopened a silent stream (logs and tests). */
	probeReconnects = 0;
	private stopped = false;
	private delivered = 0;
	private controller?: AbortController;
	private loop?: Promise<void>;
	private wake?: () => void;
	private readonly options: InvoiceSubscriptionOptions;

	constructor(options: InvoiceSubscriptionOptions) {
		this.options = options;
		if (options.settleIndex !== undefined) {
			if (!/^\d+$/.test(options.settleIndex)) throw new RangeError('settleIndex must be a decimal integer string');
			this.cursor = BigInt(options.settleIndex);
		}
	}

	get settleIndex(): string {
		return this.cursor.toString();
	}

	/**
	 * Checks access and finds the starting point (errors here are the
	 * activation error), then keeps the stream open in the background.
	 */
	async start(): Promise<void> {
		if (this.options.settleIndex === undefined) {
			// Starting point: the highest settle_index so far. The newest invoices usually hold it;
			// when none of them is settled and there are more, every invoice is looked at once.
			const scan = this.options.baselineScan ?? 100;
			const page = await this.options.client.listInvoicesPage({ max: scan, reversed: true });
			let items = page.items;
			if (page.items.length >= scan && !page.items.some((i) => BigInt(i.settle_index ?? '0') > 0n)) {
				items = await this.options.client.listInvoices({});
			}
			for (const invoice of items) {
				const index = BigInt(invoice.settle_index ?? '0');
				if (index > this.cursor) this.cursor = index;
			}
			this.noteAdded(items);
		} else {
			this.noteAdded((await this.options.client.listInvoicesPage({ max: 1, reversed: true })).items);
		}
		this.log('info', `listening for settled invoices after settle_index ${this.cursor}`);
		this.loop = this.run();
	}

	/**
	 * LND replays nothing for settle_index 0 ("no backlog"), so while nothing has been
	 * delivered yet the settled invoices are looked up in the invoice list instead
	 * (all of them were settled after the starting point, which was 0).
	 */
	private async catchUpFromList(below?: bigint): Promise<void> {
		const invoices = await this.options.client.listInvoices({});
		const settled = invoices
			.map((invoice) => ({ invoice, index: BigInt(invoice.settle_index ?? '0') }))
			.filter(({ index }) => index > this.cursor && (below === undefined || index < below))
			.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
		for (const { invoice } of settled) {
			if (this.stopped) return;
			await this.deliver(invoice);
		}
	}

	/** Resolves when the subscription has stopped (after stop() or maxEvents). */
	async done(): Promise<void> {
		await this.loop;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.controller?.abort();
		this.wake?.();
		await this.loop;
	}

	private noteAdded(invoices: Invoice[]): void {
		for (const invoice of invoices) {
			const index = BigInt(invoice.add_index ?? '0');
			if (index > this.addSeen) this.addSeen = index;
		}
	}

	/**
	 * Checks the open stream against the invoice list until `signal` aborts; calls `dead` when an
	 * invoice the list showed one interval ago is still unreported, or after two failed checks.
	 */
	private watch(signal: AbortSignal, dead: () => void): void {
		const every = this.options.probeIntervalMs ?? 20_000;
		if (!every) return;
		let suspect: { add: bigint; settle: bigint } | undefined;
		let failures = 0;
		let timer: NodeJS.Timeout | undefined;
		const tick = async () => {
			try {
				const page = await this.options.client.listInvoicesPage({ max: this.options.probeScan ?? 50, reversed: true, timeoutMs: Math.max(1000, Math.min(every, 10_000)) });
				if (signal.aborted) return;
				failures = 0;
				if (suspect && (this.addSeen < suspect.add || this.cursor < suspect.settle)) {
					this.log('warn', `invoice stream silent: LND lists add_index ${suspect.add} / settle_index ${suspect.settle}, the stream reported ${this.addSeen} / ${this.cursor}; reconnecting`);
					if (suspect.add > this.addSeen) this.addSeen = suspect.add; // settled ones are replayed by settle_index
					return dead();
				}
				let add = 0n;
				let settle = 0n;
				for (const invoice of page.items) {
					const a = BigInt(invoice.add_index ?? '0');
					const s = BigInt(invoice.settle_index ?? '0');
					if (a > this.addSeen && a > add) add = a;
					if (s > this.cursor && s > settle) settle = s;
				}
				suspect = add > 0n || settle > 0n ? { add, settle } : undefined;
			} catch (error) {
				if (signal.aborted) return;
				failures += 1;
				this.log('warn', `invoice stream check failed (${failures}): ${(error as Error)?.message ?? String(error)}`);
				if (failures >= 2) return dead();
			}
			if (!signal.aborted) timer = setTimeout(() => void tick(), every);
		};
		timer = setTimeout(() => void tick(), every);
		signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
	}

	private log(level: LogLevel, message: string): void {
		this.options.log?.(level, message);
	}

	private async run(): Promise<void> {
		let attempt = 0;
		while (!this.stopped) {
			let reconnectNow = false;
			try {
				const received = await this.connectOnce();
				reconnectNow = true;
				if (received) attempt = 0;
			} catch (error) {
				if (this.stopped) break;
				const service = error instanceof ServiceError ? error : undefined;
				if (service?.kind === 'timeout') {
					reconnectNow = true;
				} else {
					this.log(FATAL.has(service?.kind ?? '') ? 'error' : 'warn', `invoice stream failed: ${(error as Error)?.message ?? String(error)}`);
				}
			}
			if (this.stopped) break;
			if (!reconnectNow) {
				const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
				const delay = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
				attempt += 1;
				await this.sleep(delay * (0.8 + Math.random() * 0.4));
			}
		}
	}

	/** One stream connection; resolves true when it delivered data or went idle (reconnect at once), false when it ended empty. */
	private async connectOnce(): Promise<boolean> {
		const controller = new AbortController();
		this.controller = controller;
		const idleMs = this.options.idleReconnectMs ?? 600_000;
		let idle: NodeJS.Timeout | undefined;
		let idledOut = false;
		const armIdle = () => {
			if (idle) clearTimeout(idle);
			idle = setTimeout(() => {
				idledOut = true;
				controller.abort();
			}, idleMs);
		};
		let received = false;
		let silent = false;
		this.watch(controller.signal, () => {
			silent = true;
			this.probeReconnects += 1;
			controller.abort();
		});
		try {
			if (this.cursor === 0n) await this.catchUpFromList();
			if (this.stopped) return true;
			const response = await this.options.client.http.open('GET', '/v1/invoices/subscribe', {
				query: { settle_index: this.cursor.toString() },
				timeoutMs: idleMs,
				retry: false,
				signal: controller.signal,
			});
			this.log('debug', 'invoice stream connected');
			armIdle();
			for await (const line of iterateJsonLines(response.body)) {
				armIdle();
				received = true;
				if ('error' in line) {
					const message = (line.error as { message?: string })?.message ?? 'unknown error';
					throw new ServiceError(`LND ended the invoice stream: ${this.options.client.http.redact(message)}`, { kind: 'server', service: 'LND' });
				}
				await this.handle(line.result);
				if (this.stopped) break;
			}
		} catch (error) {
			if (controller.signal.aborted) return received || idledOut || silent; // idle, silent or stop(): reconnect or leave
			throw error;
		} finally {
			if (idle) clearTimeout(idle);
			controller.abort();
		}
		return received || idledOut;
	}

	private async handle(raw: unknown): Promise<void> {
		const parsed = invoiceSchema.safeParse(raw);
		if (!parsed.success) {
			this.log('warn', 'skipped an invoice update LND sent in an unknown shape');
			return;
		}
		const invoice = parsed.data;
		this.noteAdded([invoice]);
		if (invoice.state !== 'SETTLED' && invoice.settled !== true) return;
		const index = BigInt(invoice.settle_index ?? '0');
		if (index <= this.cursor) return; // already delivered (replay after reconnect)
		// Settled between the list look-up and the stream opening: fetch the ones before it first.
		if (this.cursor === 0n && index > 1n) await this.catchUpFromList(index);
		if (this.stopped || index <= this.cursor) return;
		await this.deliver(invoice);
	}

	private async deliver(invoice: Invoice): Promise<void> {
		const index = BigInt(invoice.settle_index ?? '0');
		await this.options.onSettled(invoice);
		this.cursor = index;
		this.options.onCursor?.(this.cursor.toString());
		this.delivered += 1;
		if (this.options.maxEvents !== undefined && this.delivered >= this.options.maxEvents) {
			this.stopped = true;
			this.controller?.abort();
		}
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.wake = undefined;
				resolve();
			}, ms);
			this.wake = () => {
				clearTimeout(timer);
				this.wake = undefined;
				resolve();
			};
		});
	}
}
