/**
 * The shared resource/operation contract and router: every action node is
 * built from its resources (dropdowns, field placement), and the router runs
 * items with the client made once or lazily, an optional concurrency
 * parameter, and input errors naming the item.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { BtcPay } from '../../../nodes/BtcPay/BtcPay.node';
import { actions as btcPayActions } from '../../../nodes/BtcPay/actions';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';
import { actions as lnbitsActions } from '../../../nodes/Lnbits/actions';
import { Lnd } from '../../../nodes/Lnd/Lnd.node';
import { actions as lndActions } from '../../../nodes/Lnd/actions';
import type { NodeActions } from '../../../nodes/shared/resource';
import { actionProperties, findOperation, lazy, resourceOperationProperty, routeItems } from '../../../nodes/shared/router';

const nodes: Array<[string, NodeActions<unknown>, INodeProperties[]]> = [
	['BTCPay', btcPayActions as NodeActions<unknown>, new BtcPay().description.properties],
	['LNbits', lnbitsActions as NodeActions<unknown>, new Lnbits().description.properties],
	['LND', lndActions as NodeActions<unknown>, new Lnd().description.properties],
];

describe.each(nodes)('%s node is built from its resources', (_label, actions, properties) => {
	it('its parameters are the router\'s, in order (a node-wide setting may follow)', () => {
		const built = actionProperties(actions);
		expect(properties.slice(0, built.length)).toEqual(built);
		for (const extra of properties.slice(built.length)) expect(extra.displayOptions).toBeUndefined();
	});

	it('each Operation dropdown lists exactly the resource\'s operations, with the default among them', () => {
		for (const resource of actions.resources) {
			const dropdown = resourceOperationProperty(resource);
			const values = (dropdown.options as INodePropertyOptions[]).map((o) => o.value);
			expect([...values].sort()).toEqual(Object.keys(resource.operations).sort());
			expect(values).toContain(resource.defaultOperation);
		}
	});

	it("every operation's own fields are placed in its resource and shown only for that operation", () => {
		for (const resource of actions.resources) {
			for (const [value, operation] of Object.entries(resource.operations)) {
				for (const field of operation.properties ?? []) {
					expect(resource.properties).toContain(field);
					expect(field.displayOptions?.show).toMatchObject({ resource: [resource.value], operation: [value] });
				}
			}
			for (const field of resource.properties) expect(field.displayOptions?.show?.resource).toEqual([resource.value]);
		}
	});
});

const node: INode = { id: '1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

function context(items: IDataObject[], continueOnFail = false, nodeParameters: IDataObject = {}): IExecuteFunctions {
	return {
		getInputData: () => items.map(() => ({ json: {} })),
		getNode: () => node,
		continueOnFail: () => continueOnFail,
		getNodeParameter: (name: string, i: number, fallback?: unknown) => items[i][name] ?? nodeParameters[name] ?? fallback,
	} as unknown as IExecuteFunctions;
}

type Getter = () => Promise<{ calls: number }>;

const seen: number[] = [];
const testActions: NodeActions<Getter> = {
	service: 'Test',
	defaultResource: 'thing',
	resources: [
		{
			value: 'thing',
			name: 'Thing',
			defaultOperation: 'offline',
			properties: [],
			operations: {
				offline: { name: 'Offline', action: 'Work offline', execute: async (_ctx, i) => ({ i }) },
				online: {
					name: 'Online',
					action: 'Ask the server',
					execute: async (_ctx, i, client) => {
						const c = await client();
						c.calls++;
						return { i, calls: c.calls };
					},
				},
				slow: {
					name: 'Slow',
					action: 'Take a while',
					execute: async (_ctx, i) => {
						await new Promise((r) => setTimeout(r, (3 - i) * 5));
						seen.push(i);
						return { i };
					},
				},
			},
		},
	],
};

describe('routeItems', () => {
	it('creates a lazy client only when an operation asks for it, once per run', async () => {
		let made = 0;
		const client = () =>
			lazy(async () => {
				made++;
				return { calls: 0 };
			});
		const [offline] = await routeItems(context([{ resource: 'thing', operation: 'offline' }]), testActions, { client });
		expect(offline).toEqual([{ json: { i: 0 }, pairedItem: { item: 0 } }]);
		expect(made).toBe(0);
		const items = [1, 2, 3].map(() => ({ resource: 'thing', operation: 'online' }));
		const [online] = await routeItems(context(items), testActions, { client });
		expect(made).toBe(1);
		expect(online.map((o) => o.json.calls)).toEqual([1, 2, 3]);
	});

	it('a client that cannot be made stops the node, reported for item 0', async () => {
		const failing = async (): Promise<Getter> => {
			throw new Error('no credential');
		};
		await expect(routeItems(context([{ resource: 'thing', operation: 'offline' }], true), testActions, { client: failing })).rejects.toMatchObject({
			message: 'no credential',
			context: { itemIndex: 0 },
		});
	});

	it('runs items one after another by default, and at the same time with a concurrency parameter', async () => {
		const items = [0, 1, 2].map(() => ({ resource: 'thing', operation: 'slow' }));
		const client = () => lazy(async () => ({ calls: 0 }));
		seen.length = 0;
		await routeItems(context(items), testActions, { client });
		expect(seen).toEqual([0, 1, 2]);
		seen.length = 0;
		const concurrency = { name: 'concurrency', displayName: 'Concurrency', default: 1, max: 5 };
		const [out] = await routeItems(context(items, false, { concurrency: 3 }), testActions, { client, concurrency });
		expect(seen).toEqual([2, 1, 0]);
		expect(out.map((o) => o.json.i)).toEqual([0, 1, 2]);
		await expect(routeItems(context(items, false, { concurrency: 9 }), testActions, { client, concurrency })).rejects.toThrow(
			'Concurrency: must be a whole number from 1 to 5 (got 9)',
		);
	});

	it('an unknown resource or operation is an input error naming the item (an error item with Continue On Fail)', async () => {
		const client = () => lazy(async () => ({ calls: 0 }));
		const items = [
			{ resource: 'thing', operation: 'offline' },
			{ resource: 'thing', operation: 'explode' },
			{ resource: 'gadget', operation: 'offline' },
		];
		const [out] = await routeItems(context(items, true), testActions, { client });
		expect(out.map((o) => [o.json.error ?? 'ok', o.pairedItem])).toEqual([
			['ok', { item: 0 }],
			['Operation: "thing: explode" is not supported', { item: 1 }],
			['Resource: "gadget" is not supported', { item: 2 }],
		]);
		expect(() => findOperation(testActions, 'thing', 'toString')).toThrow('Operation: "thing: toString" is not supported');
	});
});
