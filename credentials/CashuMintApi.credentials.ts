import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class CashuMintApi implements ICredentialType {
	name = 'cashuMintApi';

	displayName = 'Cashu Mint API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-btcpay-lnbits#cashu';

	icon = 'file:../icons/cashu.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Mint URL',
			name: 'mintUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mint.example.com',
			required: true,
			description:
				'Address of the Cashu mint (it answers /v1/info). https:// is added when missing and trailing slashes are ignored. Tokens from this mint are trusted.',
		},
		{
			displayName:
				'Plain http:// sends tokens (money) unencrypted. Use it only for a mint on this machine or a private network you trust.',
			name: 'httpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { mintUrl: [{ _cnd: { startsWith: 'http:' } }] } },
		},
		{
			displayName: 'Trusted Mints',
			name: 'trustedMints',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'https://mint.example.com, https://other-mint.example.org',
			description:
				'Other mints whose tokens the node accepts, separated by commas or new lines. A token from any mint not listed here (nor the Mint URL) is refused before any request is sent.',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ (/^https?:\\/\\//i.test($credentials.mintUrl.trim()) ? $credentials.mintUrl.trim() : "https://" + $credentials.mintUrl.trim()).replace(/\\/+$/, "") }}',
			url: '/v1/info',
			method: 'GET',
		},
		// n8n applies both kinds of rule (credentials-tester.service): status codes on failure, the body on success.
		rules: [
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Cashu mint answers /v1/info at this address. Check the Mint URL: it must be the mint itself, e.g. https://mint.example.com.' },
			},
			{
				type: 'responseCode',
				properties: { value: 502, message: 'The mint is not reachable right now (502 from a proxy in front of it). Try again later.' },
			},
			{
				type: 'responseCode',
				properties: { value: 503, message: 'The mint is not available right now (503). Try again later.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'nuts', value: undefined, message: 'This address answers /v1/info but not like a Cashu mint (no "nuts" in the answer). Check the Mint URL.' },
			},
		] as unknown as ICredentialTestRequest['rules'],
	};
}
