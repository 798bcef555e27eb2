import type { NodeActions } from '../../shared/resource';
import type { ConfigGetter, CashuResource } from './common';
import { mint } from './mint';
import { send } from './send';
import { token } from './token';

/** Every resource of the Cashu node, in field order (see nodes/README.md). */
export const resources: CashuResource[] = [mint, token, send];

export const actions: NodeActions<ConfigGetter> = { service: 'Cashu', resources, defaultResource: 'token' };
