/**
 * A minimal ITriggerFunctions for running a trigger node's trigger() outside
 * n8n: parameters, credentials, static data, emit and logger are plain objects
 * the test can inspect.
 */
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

export interface TriggerHarness {
	fns: ITriggerFunctions;
	/** Every emit() call, in order. */
	emitted: INodeExecutionData[][][];
	/** The JSON of every emitted item, in order. */
	items(): IDataObject[];
	staticData: IDataObject;
	logs: Array<{ level: string; message: string }>;
}

export function triggerHarness(opts: {
	credentials: IDataObject;
	params: IDataObject;
	mode?: 'trigger' | 'manual';
	staticData?: IDataObject;
	nodeType?: string;
}): TriggerHarness {
	const emitted: INodeExecutionData[][][] = [];
	const staticData = opts.staticData ?? {};
	const logs: Array<{ level: string; message: string }> = [];
	const logger = Object.fromEntries(
		['debug', 'info', 'warn', 'error'].map((level) => [level, (message: string) => logs.push({ level, message })]),
	);
	const fns = {
		getNodeParameter: (name: string, fallback?: unknown) => (name in opts.params ? opts.params[name] : fallback),
		getCredentials: async () => opts.credentials,
		getMode: () => opts.mode ?? 'trigger',
		getNode: () => ({
			id: 'trigger-1',
			name: 'Trigger',
			type: opts.nodeType ?? 'trigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getWorkflowStaticData: () => staticData,
		emit: (data: INodeExecutionData[][]) => emitted.push(data),
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
		logger,
	} as unknown as ITriggerFunctions;
	return {
		fns,
		emitted,
		items: () => emitted.flatMap((run) => run.flatMap((output) => output.map((item) => item.json))),
		staticData,
		logs,
	};
}
