import type {
	IAuthenticateGeneric,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class BtcPayApi implements ICredentialType {
	name = 'btcPayApi';

	displayName = 'BTCPay Server API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#btcpay-server';

	icon = 'file:../icons/btcpay.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://btcpay.example.com',
			required: true,
			description:
				'Address of your BTCPay Server. https:// is added when missing and trailing slashes are ignored.',
		},
		{
			displayName:
				'Plain http:// sends your API key unencrypted. Use it only for a server on this machine or a private network you trust.',
			name: 'httpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { url: [{ _cnd: { startsWith: 'http:' } }] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Create it in BTCPay under Account > Manage Account > API Keys. Grant only the permissions the workflow needs (see the package README).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=token {{$credentials.apiKey}}',
			},
		},
	};

	// The connection test runs in the nodes (testedBy, see nodes/*/credentialTest.ts): n8n's declarative
	// test request would answer an unreachable server with a bare code such as ECONNREFUSED.
}
