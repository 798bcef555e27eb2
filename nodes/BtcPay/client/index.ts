/**
 * Typed BTCPay Server Greenfield API v1 client: ky + zod, no n8n imports.
 * Each resource lives in its own file and receives the shared HttpClient.
 */
import { HttpClient, type HttpClientOptions } from '../../shared/http';
import { normalizeServerUrl } from '../../shared/url';
import { InputError } from '../../shared/errors';
import { mapBtcPayError } from './errors';
import { StoresApi } from './stores';
import { InvoicesApi } from './invoices';
import { ServerApi } from './server';
import { WebhooksApi } from './webhooks';
import { PaymentRequestsApi } from './paymentRequests';
import { PullPaymentsApi } from './pullPayments';
import { LightningApi } from './lightning';
import { ReportsApi } from './reports';

export interface BtcPayClientOptions {
	url: string;
	apiKey: string;
	timeoutMs?: number;
	retries?: number;
	retryDelayMs?: number;
	fetch?: typeof fetch;
}

export function createBtcPayHttp(options: BtcPayClientOptions): HttpClient {
	const { baseUrl } = normalizeServerUrl(options.url);
	const apiKey = (options.apiKey ?? '').trim();
	if (!apiKey) throw new InputError('API Key', 'is empty in the BTCPay credential');
	const httpOptions: HttpClientOptions = {
		service: 'BTCPay',
		baseUrl,
		headers: { Authorization: `token ${apiKey}` },
		secrets: [apiKey],
		mapError: mapBtcPayError,
		timeoutMs: options.timeoutMs,
		retries: options.retries,
		retryDelayMs: options.retryDelayMs,
		fetch: options.fetch,
	};
	return new HttpClient(httpOptions);
}

export class BtcPayClient {
	readonly http: HttpClient;
	readonly stores: StoresApi;
	readonly invoices: InvoicesApi;
	readonly server: ServerApi;
	readonly webhooks: WebhooksApi;
	readonly paymentRequests: PaymentRequestsApi;
	readonly pullPayments: PullPaymentsApi;
	readonly lightning: LightningApi;
	readonly reports: ReportsApi;

	constructor(options: BtcPayClientOptions) {
		this.http = createBtcPayHttp(options);
		this.stores = new StoresApi(this.http);
		this.invoices = new InvoicesApi(this.http);
		this.server = new ServerApi(this.http);
		this.webhooks = new WebhooksApi(this.http);
		this.paymentRequests = new PaymentRequestsApi(this.http);
		this.pullPayments = new PullPaymentsApi(this.http);
		this.lightning = new LightningApi(this.http);
		this.reports = new ReportsApi(this.http);
	}
}

export { StoresApi } from './stores';
export { InvoicesApi } from './invoices';
export { ServerApi } from './server';
export type { Store, StoreSettings, StoreChanges } from './stores';
export type { Invoice, InvoicePaymentMethod, InvoiceStatus, InvoiceMarkStatus, CreateInvoiceInput, ListInvoicesQuery } from './invoices';
export type { Health, ApiKeyInfo } from './server';
