import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * LND REST: address, macaroon and TLS certificate. The LND node sends the
 * macaroon as hex in the Grpc-Metadata-macaroon header and verifies TLS
 * against the certificate given here; the connection test runs in the node
 * (testedBy) so the certificate is used for it too.
 */
export class LndRestApi implements ICredentialType {
	name = 'lndRestApi';

	displayName = 'LND REST API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#lnd';

	icon = { light: 'file:../icons/lnd.svg', dark: 'file:../icons/lnd.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'REST URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://mynode.local:8080',
			required: true,
			description: "Address of LND's REST interface (restlisten, port 8080 by default). https:// is added when missing.",
		},
		{
			displayName:
				'Plain http:// sends the macaroon unencrypted. Use it only for LND on this machine or behind a proxy on a private network you trust.',
			name: 'httpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { url: [{ _cnd: { startsWith: 'http:' } }] } },
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the macaroon is LND's bearer token (admin.macaroon can pay): a secret, masked like every API key
		{
			displayName: 'Macaroon',
			name: 'macaroon',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The macaroon as hex (xxd -ps -u -c 1000 admin.macaroon) or base64. admin.macaroon can pay; invoice.macaroon can create and look up invoices; readonly.macaroon can only read.',
		},
		// A certificate is public (LND presents it to every client): not masked, so users can check what they pasted.
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field
		{
			displayName: 'TLS Certificate',
			name: 'tlsCert',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----',
			description:
				"Contents of LND's tls.cert (PEM). The connection is only trusted when the server presents this certificate. Leave empty only when LND is behind a proxy with a publicly trusted certificate.",
		},
		{
			displayName: 'Certificate checks are never switched off: without a certificate here, the server must have a publicly trusted one.',
			name: 'tlsNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { tlsCert: [''] } },
		},
	];
}
