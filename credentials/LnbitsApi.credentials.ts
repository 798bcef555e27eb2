import type {
	IAuthenticateGeneric,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class LnbitsApi implements ICredentialType {
	name = 'lnbitsApi';

	displayName = 'LNbits API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#lnbits';

	icon = 'file:../icons/lnbits.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://legend.lnbits.com',
			required: true,
			description:
				'Address of your LNbits server. https:// is added when missing and trailing slashes are ignored.',
		},
		{
			displayName:
				'Plain http:// sends your wallet keys unencrypted. Use it only for a server on this machine or a private network you trust.',
			name: 'httpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { url: [{ _cnd: { startsWith: 'http:' } }] } },
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the invoice key reads the wallet and creates invoices: a secret, masked like every API key
		{
			displayName: 'Invoice/Read Key',
			name: 'invoiceKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The wallet\'s "Invoice/read key" (LNbits wallet page > Node URL, API keys and API docs). Enough to read the wallet and create invoices; it cannot spend.',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the admin key spends the wallet: a secret, masked like every API key
		{
			displayName: 'Admin Key',
			name: 'adminKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The wallet\'s "Admin key". Only needed to spend (pay invoices, LNURL pay) and to rename the wallet. Leave empty for a receive-only credential.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Api-Key': '={{$credentials.invoiceKey}}',
			},
		},
	};

	// The connection test runs in the nodes (testedBy, see nodes/*/credentialTest.ts): n8n's declarative
	// test request would answer an unreachable server with a bare code such as ECONNREFUSED.
}
