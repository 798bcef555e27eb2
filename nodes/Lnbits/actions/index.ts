import type { LnbitsResource } from './common';
import { fiat } from './fiat';
import { invoice } from './invoice';
import { lnurl } from './lnurl';
import { payment } from './payment';
import { wallet } from './wallet';

/** Every resource of the LNbits node, in dropdown order. */
export const resources: LnbitsResource[] = [fiat, invoice, lnurl, payment, wallet];

export function findResource(value: string): LnbitsResource | undefined {
	return resources.find((r) => r.value === value);
}
