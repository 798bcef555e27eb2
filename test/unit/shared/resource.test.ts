/** defineResource: each operation named once; its fields and Simplify follow from it. */
import type { INodeProperties } from 'n8n-workflow';
import { defineOperation, defineResource } from '../../../nodes/shared/resource';

const field = (name: string, operation: string): INodeProperties => ({ displayName: name, name, type: 'string', default: '', displayOptions: { show: { resource: ['thing'], operation: [operation] } } });
const simplifyField = (resource: string, operations: string[]): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	displayOptions: { show: { resource: [resource], operation: operations } },
});
const run = async () => ({ ok: true });

describe('defineResource', () => {
	const get = defineOperation<null>({ name: 'Get', action: 'Get a thing', simplify: true, properties: [field('thingId', 'get')] }, run);
	const remove = defineOperation<null>({ name: 'Delete', action: 'Delete a thing', properties: [field('reason', 'delete')] }, run);
	const list = defineOperation<null>({ name: 'Get Many', action: 'Get many things', simplify: true }, run);
	const shared = field('store', 'get');

	it('puts shared fields first, then each operation\'s fields in order, then Simplify for the operations that ask for it', () => {
		const r = defineResource({ value: 'thing', name: 'Thing', operations: { get, delete: remove, getAll: list }, defaultOperation: 'get', fields: [shared] }, simplifyField);
		expect(r.properties.map((p) => p.name)).toEqual(['store', 'thingId', 'reason', 'simplify']);
		expect(r.properties[3].displayOptions?.show?.operation).toEqual(['get', 'getAll']);
		expect(Object.keys(r.operations)).toEqual(['get', 'delete', 'getAll']);
		expect(r).not.toHaveProperty('fields');
	});

	it('adds no Simplify field when no operation asks for one, and refuses one asked for without a field', () => {
		expect(defineResource({ value: 'thing', name: 'Thing', operations: { delete: remove }, defaultOperation: 'delete' }).properties.map((p) => p.name)).toEqual(['reason']);
		expect(() => defineResource({ value: 'thing', name: 'Thing', operations: { get }, defaultOperation: 'get' })).toThrow(/get declare Simplify/);
	});
});
