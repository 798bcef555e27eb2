/**
 * Runs the LNbits node's execute() with a minimal IExecuteFunctions: one
 * parameter set per input item (or one for all), the lnbitsApi credential and
 * Continue On Fail, so tests cover parameter mapping as n8n would call it.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { Lnbits } from '../../nodes/Lnbits/Lnbits.node';

export interface LnbitsCredentials {
	url: string;
	invoiceKey: string;
	adminKey?: string;
}

export interface RunOptions {
	credentials?: LnbitsCredentials;
	continueOnFail?: boolean;
}

export const lnbitsNode: INode = {
	id: 'lnbits-test',
	name: 'LNbits',
	type: 'n8n-nodes-btcpay-lnbits.lnbits',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Looks a parameter up by dotted path, like n8n's getNodeParameter. */
function lookup(params: IDataObject, name: string): unknown {
	let value: unknown = params;
	for (const part of name.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}

export function fakeContext(items: IDataObject[], options: RunOptions = {}): IExecuteFunctions & { credentialReads: number } {
	const ctx = {
		credentialReads: 0,
		getInputData: (): INodeExecutionData[] => items.map((_, i) => ({ json: { i } })),
		getNode: () => lnbitsNode,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			const params = items[itemIndex];
			if (!params) throw new Error(`no item ${itemIndex}`);
			const value = lookup(params, name);
			if (value === undefined) {
				if (arguments.length >= 3) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
		async getCredentials(type: string): Promise<ICredentialDataDecryptedObject> {
			if (type !== 'lnbitsApi') throw new Error(`unexpected credential type ${type}`);
			if (!options.credentials) throw new Error('Node does not have any credentials set');
			ctx.credentialReads++;
			return { ...options.credentials } as unknown as ICredentialDataDecryptedObject;
		},
	};
	return ctx as unknown as IExecuteFunctions & { credentialReads: number };
}

/** Runs the node for the given items (one parameter object per item) and returns the output JSON. */
export async function runLnbits(items: IDataObject[], options: RunOptions = {}): Promise<IDataObject[]> {
	const [out] = await new Lnbits().execute.call(fakeContext(items, options));
	return out.map((o) => o.json);
}

/** Like runLnbits but returns the full output items (pairedItem included). */
export async function runLnbitsItems(items: IDataObject[], options: RunOptions = {}): Promise<INodeExecutionData[]> {
	const [out] = await new Lnbits().execute.call(fakeContext(items, options));
	return out;
}

/** Runs the node and returns the error it threw (fails when it did not throw). */
export async function runLnbitsError(items: IDataObject[], options: RunOptions = {}): Promise<Error & { description?: string; context?: IDataObject }> {
	try {
		await runLnbits(items, options);
	} catch (error) {
		return error as Error & { description?: string; context?: IDataObject };
	}
	throw new Error('expected the node to fail, but it succeeded');
}
