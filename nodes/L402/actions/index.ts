import type { NodeActions } from '../../shared/resource';
import { client } from './client';
import type { L402Env, L402Resource } from './common';
import { server } from './server';

/** Every resource of the L402 node, in field order (see nodes/README.md). */
export const resources: L402Resource[] = [server, client];

export const actions: NodeActions<L402Env> = { service: 'L402', resources, defaultResource: 'server' };
