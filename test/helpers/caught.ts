import { ServiceError } from '../../nodes/shared/errors';

/** Awaits a promise that must reject and returns the ServiceError it rejected with. */
export async function caught(promise: Promise<unknown>): Promise<ServiceError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ServiceError) return error;
		throw error;
	}
	throw new Error('expected the promise to reject, but it resolved');
}
