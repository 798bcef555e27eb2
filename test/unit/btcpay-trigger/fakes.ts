/** Minimal stand-ins for n8n's IHookFunctions / IWebhookFunctions, enough for the BTCPay trigger. */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { workflowIdOf } from '../../helpers/workflow-id';

export interface FakeSetup {
	params?: Record<string, unknown>;
	staticData?: IDataObject;
	webhookUrl?: string;
	credentials?: { url: string; apiKey: string };
	/** Default: one workflow per static data object. */
	workflowId?: string;
}

export const NODE = {
	id: 'node-1',
	name: 'BTCPay Server Trigger',
	type: 'n8n-nodes-btcpay-lnbits.btcPayTrigger',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

function parameterReader(params: Record<string, unknown>) {
	return (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => {
		const value = name in params ? params[name] : fallback;
		if (options?.extractValue && value && typeof value === 'object' && 'value' in (value as IDataObject)) {
			return (value as IDataObject).value;
		}
		return value;
	};
}

export function defaults(setup: FakeSetup) {
	return {
		params: {
			registration: 'automatic',
			store: { mode: 'id', value: 'Store1abc' },
			events: ['InvoiceSettled', 'InvoiceProcessing'],
			simplify: true,
			options: {},
			...setup.params,
		},
		staticData: setup.staticData ?? {},
		webhookUrl: setup.webhookUrl ?? 'https://n8n.example/webhook/4f1c/webhook',
		credentials: setup.credentials ?? { url: 'http://btcpay.test', apiKey: 'apikey-trigger-0123456789' },
	};
}

export function hookContext(setup: FakeSetup = {}) {
	const s = defaults(setup);
	const ctx = {
		getNodeParameter: parameterReader(s.params),
		getWorkflowStaticData: () => s.staticData,
		getNodeWebhookUrl: () => s.webhookUrl,
		getCredentials: async () => s.credentials,
		getNode: () => NODE,
		getWorkflow: () => ({ id: setup.workflowId ?? workflowIdOf(s.staticData), name: 'Shop', active: true }),
		getMode: () => 'trigger',
		getActivationMode: () => 'activate',
		logger: { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() },
	};
	return { ctx: ctx as unknown as IHookFunctions, staticData: s.staticData };
}

export interface FakeResponse {
	statusCode?: number;
	body?: unknown;
}

export function webhookContext(
	request: { rawBody?: Buffer | string; headers?: Record<string, string | undefined>; lazy?: boolean },
	setup: FakeSetup = {},
) {
	const s = defaults(setup);
	const response: FakeResponse = {};
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
		end() {
			return res;
		},
	};
	const req: Record<string, unknown> = { headers: request.headers ?? {} };
	if (request.lazy) {
		// like n8n before parseBody ran: the body is only available through readRawBody()
		req.readRawBody = async () => {
			req.rawBody = request.rawBody;
		};
	} else {
		req.rawBody = request.rawBody;
	}
	const warn = jest.fn();
	const error = jest.fn();
	const ctx = {
		getNodeParameter: parameterReader(s.params),
		getWorkflowStaticData: () => s.staticData,
		getWorkflow: () => ({ id: setup.workflowId ?? workflowIdOf(s.staticData), name: 'Shop', active: true }),
		getCredentials: async () => s.credentials,
		getNode: () => NODE,
		getMode: () => 'webhook',
		getRequestObject: () => req,
		getResponseObject: () => res,
		getHeaderData: () => req.headers,
		getBodyData: () => ({}),
		logger: { warn, info: jest.fn(), debug: jest.fn(), error },
	};
	return { ctx: ctx as unknown as IWebhookFunctions, response, staticData: s.staticData, warn, error };
}
