/** Runs the BTCPay Server node's real execute() for tests and returns the output JSON of each item. */
import type { IDataObject } from 'n8n-workflow';
import { BtcPay } from '../../nodes/BtcPay/BtcPay.node';
import { executeContext } from './execute-context';

export interface BtcPayNodeRun {
	url: string;
	apiKey: string;
	/** Store ID put in the Store locator (by ID). */
	storeId: string;
	/** Parameters of every item, or per item; the store is added. */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: number;
	continueOnFail?: boolean;
	/** The workflow's time zone; default UTC. */
	timezone?: string;
	/** The node's typeVersion; default 1. */
	typeVersion?: number;
}

export async function runBtcPayNode(run: BtcPayNodeRun): Promise<IDataObject[]> {
	const node = new BtcPay();
	const store = { __rl: true, mode: 'id', value: run.storeId };
	const ctx = executeContext({
		nodeType: node,
		parameters: (i) => ({ store, ...(typeof run.parameters === 'function' ? run.parameters(i) : run.parameters) }),
		credentials: { btcPayApi: { url: run.url, apiKey: run.apiKey } },
		items: Array.from({ length: run.items ?? 1 }, (_, i) => ({ json: { i } })),
		continueOnFail: run.continueOnFail,
		timezone: run.timezone,
		typeVersion: run.typeVersion,
	});
	const [out] = await node.execute.call(ctx);
	return out.map((o) => o.json);
}
