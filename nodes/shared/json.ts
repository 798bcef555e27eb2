/**
 * JSON given as a node parameter or API input: text to parse, or an already
 * parsed value. No n8n imports, so API clients can use it too.
 */
import { InputError } from './errors';

export type JsonExpectation = 'object' | 'array' | 'any';

/**
 * Parses a JSON value (string or already-parsed). Empty → undefined.
 * Errors name the field: `Metadata: is not valid JSON (...)`, `Metadata: must be a JSON object, ...`.
 */
export function parseJsonValue(value: unknown, field: string, expect: JsonExpectation = 'object', service?: string): unknown {
	if (value === undefined || value === null) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) return undefined;
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new InputError(field, `is not valid JSON (${(error as Error).message})`, service);
		}
	}
	if (expect === 'object' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
		throw new InputError(field, 'must be a JSON object, e.g. {"key": "value"}', service);
	}
	if (expect === 'array' && !Array.isArray(parsed)) throw new InputError(field, 'must be a JSON array', service);
	return parsed;
}
