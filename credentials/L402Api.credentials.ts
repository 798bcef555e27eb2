import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The root key L402 tokens are signed with. Anyone holding it can mint tokens that pass Verify:
 * it stays in the credential, and the node never writes it to an output, message or log.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- a root key is checked by nobody but this node: there is no server to test it against (its length is checked when it is used)
export class L402Api implements ICredentialType {
	name = 'l402Api';

	displayName = 'L402 API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#l402';

	icon = 'file:../icons/l402.svg' as const;

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the root key mints tokens that pass Verify: a secret, masked
		{
			displayName: 'Root Key',
			name: 'rootKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. the output of: openssl rand -hex 32',
			description:
				'Secret that signs and checks your L402 tokens: at least 32 bytes, best 64 random hex characters. Generate one with `openssl rand -hex 32` (or `node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"`). Changing it invalidates every token issued with the old key.',
		},
	];
}
