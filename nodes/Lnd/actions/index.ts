import type { NodeActions } from '../../shared/resource';
import type { LndClient } from '../client';
import { invoiceResource } from './invoice';
import { nodeResource } from './node';
import { paymentResource } from './payment';
import type { LndResource } from './types';

export const resources: readonly LndResource[] = [invoiceResource, nodeResource, paymentResource];

export const actions: NodeActions<LndClient> = { service: 'LND', resources, defaultResource: 'invoice' };
