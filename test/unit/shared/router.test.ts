/**
 * The shared resource/operation contract and router: every action node is
 * built from its resources (dropdowns, field placement), and the router runs
 * items with the client made once or lazily, an optional concurrency
 * parameter, and input errors naming the item.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { BtcPay } from '../../../nodes/BtcPay/BtcPay.node';
import { actions as btcPayActions } from '../../../nodes/BtcPay/actions';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';
import { actions as lnbitsActions } from '../../../nodes/Lnbits/actions';
import { Lnd } from '../../../nodes/Lnd/Lnd.node';
import { actions as lndActions } from '../../../nodes/Lnd/actions';
import type { NodeActions } from '../../../nodes/shared/resource';
import { optionsProperty } from '../../../nodes/shared/ui';
import {
	actionProperties,
	actionPropertiesWithOption,
	concurrencyPath,
	findOperation,
	lazy,
	optionsCollectionOf,
	resourceOperationProperty,
	routeItems,
} from '../../../nodes/shared/router';
import { propertiesForVersion } from '../../helpers/description-for-version';

const nodes: Array<[string, NodeActions<unknown>, INodeTypeDescription]> = [
	['BTCPay', btcPayActions as NodeActions<unknown>, new BtcPay().description],
	['LNbits', lnbitsActions as NodeActions<unknown>, new Lnbits().description],
	['LND', lndActions as NodeActions<unknown>, new Lnd().description],
];

describe.each(nodes)('%s node is built from its resources', (_label, actions, description) => {
	it("its version 1 parameters are the router's, in order (a node-wide setting may follow)", () => {
		const v1 = propertiesForVersion(description, 1);
		const built = actionProperties(actions);
		expect(v1.slice(0, built.length)).toEqual(built);
		for (const extra of v1.slice(built.length)) expect(extra.displayOptions).toBeUndefined();
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

/** A dotted path ('options.concurrency') into the parameters, as n8n's getNodeParameter reads it. */
const at = (parameters: IDataObject, name: string): unknown =>
	name.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined), parameters);

function context(items: IDataObject[], continueOnFail = false, nodeParameters: IDataObject = {}, typeVersion = 1): IExecuteFunctions {
	return {
		getInputData: () => items.map(() => ({ json: {} })),
		getNode: () => ({ ...node, typeVersion }),
		continueOnFail: () => continueOnFail,
		getNodeParameter: (name: string, i: number, fallback?: unknown) => at(items[i], name) ?? at(nodeParameters, name) ?? fallback,
	} as unknown as IExecuteFunctions;
}

type Getter = () => Promise<{ calls: number }>;

const seen: number[] = [];
const tunedOptions = optionsProperty('tunedOptions', 'thing', ['tuned'], [
	{ displayName: 'Alpha', name: 'alpha', type: 'boolean', default: false, description: 'Whether to go first' },
	{ displayName: 'Zulu', name: 'zulu', type: 'boolean', default: false, description: 'Whether to go last' },
]);
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
				tuned: {
					name: 'Tuned',
					action: 'Take a while, with options',
					properties: [tunedOptions],
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
testActions.resources[0].properties.push(tunedOptions);

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

	it('reads the concurrency per node version: node-wide before inOptionsFromVersion, in the operation\'s Options from it on', async () => {
		const client = () => lazy(async () => ({ calls: 0 }));
		const concurrency = { name: 'concurrency', displayName: 'Concurrency', default: 1, max: 5, inOptionsFromVersion: 2 };
		const order = async (operation: string, parameters: IDataObject, version: number) => {
			seen.length = 0;
			const items = [0, 1, 2].map(() => ({ resource: 'thing', operation }));
			const [out] = await routeItems(context(items, false, parameters, version), testActions, { client, concurrency });
			expect(out.map((o) => o.json.i)).toEqual([0, 1, 2]);
			return [...seen];
		};
		// At the same time, the later (shorter) items finish first; one after another, in input order.
		expect(await order('slow', { concurrency: 3 }, 1)).toEqual([2, 1, 0]);
		expect(await order('slow', { options: { concurrency: 3 } }, 1)).toEqual([0, 1, 2]);
		expect(await order('slow', { options: { concurrency: 3 } }, 2)).toEqual([2, 1, 0]);
		expect(await order('slow', { concurrency: 3 }, 2)).toEqual([0, 1, 2]);
		expect(await order('tuned', { tunedOptions: { concurrency: 3 } }, 2)).toEqual([2, 1, 0]);
		expect(await order('tuned', { options: { concurrency: 3 } }, 2)).toEqual([0, 1, 2]);
		expect(await order('tuned', {}, 2)).toEqual([0, 1, 2]);
		await expect(order('tuned', { tunedOptions: { concurrency: 0 } }, 2)).rejects.toThrow('Concurrency: must be a whole number from 1 to 5 (got 0)');
		// Without inOptionsFromVersion the node-wide parameter counts in every version.
		const { inOptionsFromVersion: _since, ...nodeWide } = concurrency;
		expect(concurrencyPath(context([{ resource: 'thing', operation: 'tuned' }], false, {}, 2), testActions, nodeWide)).toBe('concurrency');
		expect(concurrencyPath(context([{ resource: 'thing', operation: 'tuned' }], false, {}, 2), testActions, concurrency)).toBe('tunedOptions.concurrency');
		expect(concurrencyPath(context([{ resource: 'thing', operation: 'offline' }], false, {}, 3), testActions, concurrency)).toBe('options.concurrency');
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

describe('actionPropertiesWithOption', () => {
	const option: INodeProperties = { displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 1, description: 'How many at once' };
	const built = actionPropertiesWithOption(testActions, option, 2);
	const description = { version: [1, 2], properties: built } as unknown as INodeTypeDescription;
	const fromTwo = { '@version': [{ _cnd: { gte: 2 } }] };

	it("adds the option to an operation's own Options collection in name order, shown from the version on", () => {
		const tuned = built.filter((p) => p.name === 'tunedOptions');
		expect(tuned).toHaveLength(1);
		expect((tuned[0].options as INodeProperties[]).map((o) => o.name)).toEqual(['alpha', 'concurrency', 'zulu']);
		expect((tuned[0].options as INodeProperties[])[1]).toEqual({ ...option, displayOptions: { show: fromTwo } });
		expect(tuned[0].displayOptions).toEqual(tunedOptions.displayOptions);
	});

	it('gives the operations without one a single Options collection holding only the option, shown from the version on', () => {
		const added = built.filter((p) => p.name === 'options');
		expect(added).toEqual([
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [option],
				displayOptions: { show: { resource: ['thing'], operation: ['offline', 'online', 'slow'], ...fromTwo } },
			},
		]);
		expect(built[built.length - 1]).toBe(added[0]);
		for (const operation of ['offline', 'online', 'slow', 'tuned']) {
			const collections = propertiesForVersion(description, 2).filter((p) => p.displayName === 'Options' && p.displayOptions?.show?.operation?.includes(operation));
			expect(collections).toHaveLength(1);
		}
	});

	it('shown for an earlier version, the parameters are exactly actionProperties, and the resources are left unchanged', () => {
		expect(propertiesForVersion(description, 1)).toEqual(actionProperties(testActions));
		expect((tunedOptions.options as INodeProperties[]).map((o) => o.name)).toEqual(['alpha', 'zulu']);
		expect(optionsCollectionOf(testActions.resources[0], 'tuned')).toBe(tunedOptions);
		expect(optionsCollectionOf(testActions.resources[0], 'slow')).toBeUndefined();
	});
});
