/**
 * Writes every node's `description` and every credential's properties as JSON,
 * so a refactor can prove it changed nothing the editor or a saved workflow
 * sees: dump before, dump after, `cmp` the two files.
 *
 * Usage: npx node --no-experimental-strip-types -r ./bench/register.js scripts/descriptions.ts [--sort-keys] > /tmp/desc.json
 *
 * Functions (credential `authenticate`, node `methods`) are written as their
 * names. Arrays keep their order (fields, options: the editor's order). Object
 * keys keep the order the code wrote them in, or with --sort-keys are sorted:
 * n8n reads a field's keys by name, never by position, so a change that only
 * builds a field's keys in another order compares equal there and not in the
 * plain dump.
 */
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { BtcPayApi } from '../credentials/BtcPayApi.credentials';
import { CashuMintApi } from '../credentials/CashuMintApi.credentials';
import { L402Api } from '../credentials/L402Api.credentials';
import { LnbitsApi } from '../credentials/LnbitsApi.credentials';
import { LndRestApi } from '../credentials/LndRestApi.credentials';
import { BtcPay } from '../nodes/BtcPay/BtcPay.node';
import { BtcPayTrigger } from '../nodes/BtcPay/BtcPayTrigger.node';
import { Cashu } from '../nodes/Cashu/Cashu.node';
import { L402 } from '../nodes/L402/L402.node';
import { Lnbits } from '../nodes/Lnbits/Lnbits.node';
import { LnbitsTrigger } from '../nodes/Lnbits/LnbitsTrigger.node';
import { LnbitsWebhookTrigger } from '../nodes/Lnbits/LnbitsWebhookTrigger.node';
import { Lnd } from '../nodes/Lnd/Lnd.node';
import { LndTrigger } from '../nodes/Lnd/LndTrigger.node';

const nodes: INodeType[] = [
	new BtcPay(),
	new BtcPayTrigger(),
	new Cashu(),
	new L402(),
	new Lnbits(),
	new LnbitsTrigger(),
	new LnbitsWebhookTrigger(),
	new Lnd(),
	new LndTrigger(),
];
const credentials: ICredentialType[] = [new BtcPayApi(), new CashuMintApi(), new L402Api(), new LnbitsApi(), new LndRestApi()];

/** Method groups (loadOptions, listSearch, credentialTest...) by the names the description refers to. */
const methodNames = (node: INodeType) =>
	Object.fromEntries(Object.entries(node.methods ?? {}).map(([group, fns]) => [group, Object.keys(fns as object)]));

const sortKeys = process.argv.includes('--sort-keys');

const replacer = (_key: string, value: unknown) => {
	if (typeof value === 'function') return `[function ${(value as { name?: string }).name || 'anonymous'}]`;
	if (sortKeys && value && typeof value === 'object' && !Array.isArray(value)) {
		return Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]));
	}
	return value;
};

const dump = {
	nodes: nodes.map((node) => ({
		description: node.description,
		methods: methodNames(node),
		webhookMethods: Object.keys(node.webhookMethods ?? {}),
	})),
	credentials: credentials.map((credential) => ({ ...credential })),
};

process.stdout.write(`${JSON.stringify(dump, replacer, '\t')}\n`);
