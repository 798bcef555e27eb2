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
		getWorkflow: () => ({ id: 'workflow-1', name: 'Test workflow', active: true }),
		// n8n resolves an emit's done promise once it recorded the execution; every emit is kept here,
		// duplicates included (n8n would refuse a repeated deduplication key: the tests count them).
		emit: (data: INodeExecutionData[][], _response?: unknown, done?: { resolve: (run: unknown) => void }) => {
			emitted.push(data);
			done?.resolve({});
		},
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			createDeferredPromise: () => {
				const d = {} as { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: Error) => void };
				d.promise = new Promise((resolve, reject) => Object.assign(d, { resolve, reject }));
				return d;
			},
		},
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
