import type { NodeActions } from '../../shared/resource';
import type { ClientGetter, LnbitsResource } from './common';
import { fiat } from './fiat';
import { invoice } from './invoice';
import { lnurl } from './lnurl';
import { payment } from './payment';
import { wallet } from './wallet';

/** Every resource of the LNbits node, in field order (see nodes/README.md). */
export const resources: LnbitsResource[] = [fiat, invoice, lnurl, payment, wallet];

export const actions: NodeActions<ClientGetter> = { service: 'LNbits', resources, defaultResource: 'invoice' };
