/** Server-level routes: health (anonymous), current API key, server info. */
import type { BtcPayEmulator } from '../server';

export function register(emulator: BtcPayEmulator): void {
	emulator.state.synchronized ??= true;
	emulator.route('GET', '/api/v1/health', () => ({ status: 200, body: { synchronized: emulator.state.synchronized === true } }), { anonymous: true });

	// Real servers answer this for any valid key, whatever the spec's security says (PROTOCOL-NOTES).
	emulator.route(
		'GET',
		'/api/v1/api-keys/current',
		(req) => ({ status: 200, body: { apiKey: req.apiKey?.apiKey, label: req.apiKey?.label, permissions: req.apiKey?.permissions ?? [] } }),
		{ permissions: [] },
	);

	emulator.route(
		'GET',
		'/api/v1/server/info',
		() => ({
			status: 200,
			body: {
				version: '2.4.1',
				onion: null,
				supportedPaymentMethods: ['BTC-CHAIN', 'BTC-LN', 'BTC-LNURL'],
				fullySynched: emulator.state.synchronized === true,
				syncStatus: [],
			},
		}),
		{ permissions: [] },
	);
}
