/**
 * Structural invariants of the three action nodes' parameters, so shared UI
 * helpers cannot silently change what saved workflows rely on: resource and
 * operation wiring, Simplify / Return All / Limit conventions, no two fields
 * with the same name visible at once.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { BtcPay } from '../../../nodes/BtcPay/BtcPay.node';
import { Lnbits } from '../../../nodes/Lnbits/Lnbits.node';
import { Lnd } from '../../../nodes/Lnd/Lnd.node';

type Show = Record<string, unknown[]>;

const nodes: Array<[string, INodeTypeDescription, { simplify: string; maxLimit?: number }]> = [
	['BTCPay', new BtcPay().description, { simplify: 'Whether to return a simplified version of the response instead of the raw data', maxLimit: 1000 }],
	['LNbits', new Lnbits().description, { simplify: 'Whether to return a compact version of the response instead of every field' }],
	[
		'LND',
		new Lnd().description,
		{ simplify: 'Whether to return a flat version of the response (hex hashes, ISO dates, sats as numbers) instead of the raw LND data' },
	],
];

const shown = (p: INodeProperties): Show => (p.displayOptions?.show ?? {}) as Show;
const values = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => o.value as string);

describe.each(nodes)('%s node description', (_label, description, expected) => {
	const properties = description.properties;
	const resourceProperty = properties.find((p) => p.name === 'resource')!;
	const resources = values(resourceProperty);
	const operationsOf = (resource: string) =>
		properties.filter((p) => p.name === 'operation' && (shown(p).resource ?? []).includes(resource));

	it('has a Resource dropdown whose default is one of its resources', () => {
		expect(resourceProperty).toMatchObject({ type: 'options', noDataExpression: true });
		expect(resources.length).toBeGreaterThan(0);
		expect(resources).toContain(resourceProperty.default);
	});

	it('has exactly one Operation dropdown per resource, sorted, defaulting to one of its operations', () => {
		for (const resource of resources) {
			const ops = operationsOf(resource);
			expect(ops).toHaveLength(1);
			const [op] = ops;
			expect(op).toMatchObject({ type: 'options', noDataExpression: true, displayOptions: { show: { resource: [resource] } } });
			const options = op.options as INodePropertyOptions[];
			expect(values(op)).toContain(op.default);
			const names = options.map((o) => o.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
			for (const option of options) expect(typeof option.action).toBe('string');
		}
	});

	it('shows every field only for existing resources and operations', () => {
		for (const p of properties) {
			if (p.name === 'resource') continue;
			const show = shown(p);
			if (!show.resource) continue; // a node-wide setting such as BTCPay's Concurrency
			expect(show.resource.length).toBeGreaterThan(0);
			for (const resource of show.resource as string[]) {
				expect(resources).toContain(resource);
				if (p.name === 'operation' || !show.operation) continue;
				const known = values(operationsOf(resource)[0]);
				for (const operation of show.operation) expect(known).toContain(operation);
			}
		}
	});

	it('never shows two fields with the same name at once', () => {
		const visible = (p: INodeProperties, resource: string, operation: string) =>
			(shown(p).resource ?? []).includes(resource) && (!shown(p).operation || shown(p).operation.includes(operation));
		// Two same-name fields may share a resource/operation only when another condition keeps them apart.
		const exclusive = (a: Show, b: Show) =>
			Object.keys(a).some((k) => k !== 'resource' && k !== 'operation' && b[k] && !a[k].some((v) => b[k].includes(v)));
		for (const resource of resources) {
			for (const operation of values(operationsOf(resource)[0])) {
				const here = properties.filter((p) => p.name !== 'operation' && p.name !== 'resource' && visible(p, resource, operation));
				for (let i = 0; i < here.length; i++) {
					for (let j = i + 1; j < here.length; j++) {
						if (here[i].name !== here[j].name) continue;
						expect({ resource, operation, name: here[i].name, exclusive: exclusive(shown(here[i]), shown(here[j])) }).toEqual({
							resource,
							operation,
							name: here[i].name,
							exclusive: true,
						});
					}
				}
			}
		}
	});

	it('guards every paying operation with a required Max Amount (Sats) without default', () => {
		const guards = properties.filter((p) => p.name === 'maxAmountSats');
		expect(guards.length).toBeGreaterThan(0);
		for (const p of guards) {
			expect(p).toMatchObject({ displayName: 'Max Amount (Sats)', required: true });
			// LNbits: an empty required text field the editor flags before a run (n8n flags an empty
			// required string, never a number); BTCPay and LND still show the number field with 0.
			if (_label === 'LNbits') expect(p).toMatchObject({ type: 'string', default: '' });
			else expect(p).toMatchObject({ type: 'number', default: 0 });
		}
	});

	it('uses the shared Simplify, Return All and Limit conventions', () => {
		const simplify = properties.filter((p) => p.name === 'simplify');
		const returnAll = properties.filter((p) => p.name === 'returnAll');
		const limit = properties.filter((p) => p.name === 'limit');
		expect(simplify.length).toBeGreaterThan(0);
		expect(returnAll.length).toBeGreaterThan(0);
		for (const p of simplify) expect(p).toMatchObject({ type: 'boolean', default: true, description: expected.simplify });
		for (const p of returnAll) expect(p).toMatchObject({ type: 'boolean', default: false });
		expect(limit).toHaveLength(returnAll.length);
		for (const p of limit) {
			expect(p).toMatchObject({ type: 'number', default: 50 });
			expect(p.typeOptions).toEqual(expected.maxLimit === undefined ? { minValue: 1 } : { minValue: 1, maxValue: expected.maxLimit });
			const { returnAll: when, ...where } = shown(p);
			expect(when).toEqual([false]);
			expect(returnAll.some((r) => JSON.stringify(shown(r)) === JSON.stringify(where))).toBe(true);
		}
	});
});
