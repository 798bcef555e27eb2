import { InputError } from '../../../nodes/shared/errors';
import { parseJsonValue } from '../../../nodes/shared/json';

describe('parseJsonValue', () => {
	it('parses text, passes parsed values through, treats empty as undefined', () => {
		expect(parseJsonValue('{"a":1}', 'Extra')).toEqual({ a: 1 });
		expect(parseJsonValue({ b: 2 }, 'Extra')).toEqual({ b: 2 });
		expect(parseJsonValue('  ', 'Extra')).toBeUndefined();
		expect(parseJsonValue(null, 'Extra')).toBeUndefined();
		expect(parseJsonValue(undefined, 'Extra')).toBeUndefined();
		expect(parseJsonValue('[1,2]', 'Items', 'array')).toEqual([1, 2]);
		expect(parseJsonValue('"x"', 'Any', 'any')).toBe('x');
	});

	it('names the field and service in errors', () => {
		let caught: unknown;
		try {
			parseJsonValue('{nope', 'Extra (JSON)', 'object', 'Svc');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as InputError).message).toMatch(/^Extra \(JSON\): is not valid JSON \(/);
		expect((caught as InputError).service).toBe('Svc');
	});

	it.each([['[1]'], ['3'], ['null'], [[1]]])('refuses %p where an object is expected', (value) => {
		expect(() => parseJsonValue(value, 'Metadata')).toThrow('Metadata: must be a JSON object, e.g. {"key": "value"}');
	});

	it('refuses a non-array where an array is expected', () => {
		expect(() => parseJsonValue('{}', 'Items', 'array')).toThrow('Items: must be a JSON array');
	});
});
