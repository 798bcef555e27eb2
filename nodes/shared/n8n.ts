/**
 * The only shared module that knows about n8n: runs a node's per-item work with
 * bounded concurrency, keeps output order and pairedItem, honours Continue On
 * Fail, and turns ServiceErrors into NodeOperationError / NodeApiError.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { mapLimit } from './concurrency';
import { isServiceError, type ServiceError } from './errors';

const HTTP_KINDS = new Set(['auth', 'permission', 'not_found', 'validation', 'business', 'rate_limited', 'server', 'protocol']);

/** Converts any error thrown while handling item `itemIndex` into an n8n node error. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if ((error as { context?: IDataObject }).context) (error as { context: IDataObject }).context.itemIndex ??= itemIndex;
		return error;
	}
	if (isServiceError(error)) {
		const description = describe(error, itemIndex);
		if (HTTP_KINDS.has(error.kind) && error.status !== undefined) {
			const response: JsonObject = {
				message: error.message,
				kind: error.kind,
				...(error.code ? { code: error.code } : {}),
				...(error.details.length ? { details: error.details } : {}),
				...(error.missingPermission ? { missingPermission: error.missingPermission } : {}),
			};
			return new NodeApiError(node, response, {
				message: error.message,
				description,
				httpCode: String(error.status),
				itemIndex,
			});
		}
		return new NodeOperationError(node, error.message, { description, itemIndex });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex, description: `Item ${itemIndex}` });
}

function describe(error: ServiceError, itemIndex: number): string {
	const lines = [`Item ${itemIndex}${error.field ? `, field "${error.field}"` : ''}.`];
	if (error.hint) lines.push(error.hint);
	if (error.details.length > 1) lines.push(...error.details.map((d) => `• ${d}`));
	return lines.join('\n');
}

/** The JSON put on an error item when Continue On Fail is on. */
export function errorItemJson(error: NodeApiError | NodeOperationError, cause: unknown): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (isServiceError(cause)) {
		json.errorKind = cause.kind;
		if (cause.status !== undefined) json.httpCode = cause.status;
		if (cause.field) json.field = cause.field;
		if (cause.details.length) json.details = cause.details;
		if (cause.missingPermission) json.missingPermission = cause.missingPermission;
	}
	return json;
}

export interface RunItemsOptions {
	/** Items processed at the same time (default 1). */
	concurrency?: number;
}

const EXECUTION_DATA_KEYS = new Set(['json', 'binary', 'pairedItem']);

/** An INodeExecutionData ({json, binary?}) rather than a plain JSON object. */
function isExecutionData(entry: unknown): entry is INodeExecutionData {
	if (!entry || typeof entry !== 'object') return false;
	const keys = Object.keys(entry);
	return (
		keys.includes('json') &&
		typeof (entry as INodeExecutionData).json === 'object' &&
		keys.every((k) => EXECUTION_DATA_KEYS.has(k))
	);
}

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData[] | undefined;

/**
 * Runs `handler` for every input item. Results keep input order; every output
 * item carries `pairedItem`. A failing item either stops the node with an
 * error naming the item, or (Continue On Fail) becomes an error item while
 * the other items carry on.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<ItemResult>,
	options: RunItemsOptions = {},
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const indexes = items.map((_, i) => i);
	const settled = await mapLimit(indexes, options.concurrency ?? 1, (i) => handler(i));
	const out: INodeExecutionData[] = [];
	const continueOnFail = ctx.continueOnFail();
	for (let i = 0; i < settled.length; i++) {
		const result = settled[i];
		if (!result.ok) {
			const nodeError = toNodeError(ctx.getNode(), result.error, i);
			if (!continueOnFail) throw nodeError;
			out.push({ json: errorItemJson(nodeError, result.error), pairedItem: { item: i } });
			continue;
		}
		const value = result.value;
		if (value === undefined) continue;
		const list = Array.isArray(value) ? value : [value];
		for (const entry of list) {
			if (isExecutionData(entry)) out.push({ ...entry, pairedItem: { item: i } });
			else out.push({ json: entry as IDataObject, pairedItem: { item: i } });
		}
	}
	return [out];
}
