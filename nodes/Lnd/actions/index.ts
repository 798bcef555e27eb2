import { invoiceResource } from './invoice';
import { nodeResource } from './node';
import { paymentResource } from './payment';
import type { LndResource } from './types';

export const resources: readonly LndResource[] = [invoiceResource, nodeResource, paymentResource];

export function findResource(value: string): LndResource | undefined {
	return resources.find((r) => r.value === value);
}
