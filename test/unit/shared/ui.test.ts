import type { IExecuteFunctions } from 'n8n-workflow';
import { InputError } from '../../../nodes/shared/errors';
import { getLimit, getSimplify, maxAmountSatsProperty, operationProperty, returnAllLimitProperties, show, simplifyProperty, wholeNumber } from '../../../nodes/shared/ui';

const ctx = (params: Record<string, unknown>) =>
	({ getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback) }) as unknown as IExecuteFunctions;

describe('shared UI properties', () => {
	it('show() targets a resource, optionally some operations', () => {
		expect(show('invoice')).toEqual({ show: { resource: ['invoice'] } });
		expect(show('invoice', ['get', 'getMany'])).toEqual({ show: { resource: ['invoice'], operation: ['get', 'getMany'] } });
	});

	it('operationProperty() is the resource-scoped Operation dropdown', () => {
		const options = [{ name: 'Get', value: 'get', action: 'Get a thing' }];
		expect(operationProperty('thing', options, 'get')).toEqual({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['thing'] } },
			options,
			default: 'get',
		});
	});

	it('simplifyProperty() is on by default with the given description', () => {
		const p = simplifyProperty('thing', ['get'], 'Whether to simplify');
		expect(p).toMatchObject({ name: 'simplify', type: 'boolean', default: true, description: 'Whether to simplify' });
		expect(p.displayOptions).toEqual({ show: { resource: ['thing'], operation: ['get'] } });
	});

	it('returnAllLimitProperties() shows Limit only when Return All is off, capped only when asked', () => {
		const [returnAll, limit] = returnAllLimitProperties('thing', ['getMany']);
		expect(returnAll).toMatchObject({ name: 'returnAll', type: 'boolean', default: false });
		expect(returnAll.displayOptions).toEqual({ show: { resource: ['thing'], operation: ['getMany'] } });
		expect(limit).toMatchObject({ name: 'limit', type: 'number', default: 50, typeOptions: { minValue: 1 } });
		expect(limit.typeOptions).not.toHaveProperty('maxValue');
		expect(limit.displayOptions).toEqual({ show: { resource: ['thing'], operation: ['getMany'], returnAll: [false] } });
		expect(returnAllLimitProperties('thing', ['getMany'], 1000)[1].typeOptions).toEqual({ minValue: 1, maxValue: 1000 });
	});
});

describe('maxAmountSatsProperty', () => {
	it('is a required number with no unlimited default, whole sats from 1 unless told otherwise', () => {
		const p = maxAmountSatsProperty('payment', ['pay'], 'Largest amount');
		expect(p).toMatchObject({ displayName: 'Max Amount (Sats)', name: 'maxAmountSats', type: 'number', default: 0, required: true, description: 'Largest amount' });
		expect(p.typeOptions).toEqual({ minValue: 1, numberPrecision: 0 });
		expect(p.displayOptions).toEqual({ show: { resource: ['payment'], operation: ['pay'] } });
		expect(maxAmountSatsProperty('payment', ['pay'], 'x', { minValue: 0 }).typeOptions).toEqual({ minValue: 0 });
	});
});

describe('shared parameter readers', () => {
	it('wholeNumber() accepts whole numbers and numeric strings at or above the minimum', () => {
		expect(wholeNumber(0, 'Count', 'Svc')).toBe(0);
		expect(wholeNumber('42', 'Count', 'Svc')).toBe(42);
		expect(wholeNumber(3, 'Count', 'Svc', { min: 3 })).toBe(3);
	});

	it.each([[1.5], ['abc'], [''], [null], [-1], [Number.MAX_SAFE_INTEGER + 1]])('wholeNumber() refuses %p naming the field and service', (raw) => {
		let caught: unknown;
		try {
			wholeNumber(raw, 'Count', 'Svc');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as InputError).message).toMatch(/^Count: must be a whole number, 0 or more \(got /);
		expect((caught as InputError).service).toBe('Svc');
	});

	it('wholeNumber() names the minimum', () => {
		expect(() => wholeNumber(0, 'Limit', 'Svc', { min: 1 })).toThrow('Limit: must be a whole number of at least 1 (got 0)');
	});

	it('getLimit() is undefined with Return All, else the Limit (default 50)', () => {
		expect(getLimit(ctx({ returnAll: true, limit: 0 }), 0, 'Svc')).toBeUndefined();
		expect(getLimit(ctx({ returnAll: false }), 0, 'Svc')).toBe(50);
		expect(getLimit(ctx({ returnAll: false, limit: '7' }), 0, 'Svc')).toBe(7);
		expect(() => getLimit(ctx({ returnAll: false, limit: 0 }), 0, 'Svc')).toThrow('Limit: must be a whole number of at least 1 (got 0)');
	});

	it('getSimplify() defaults to on', () => {
		expect(getSimplify(ctx({}), 0)).toBe(true);
		expect(getSimplify(ctx({ simplify: false }), 0)).toBe(false);
	});
});
