/**
 * Runs the BTCPay emulator (test/btcpay-emulator) in its own process for the
 * batch benchmark, so the server's work (OpenAPI validation, JSON) does not
 * share a thread with the node under test, as with a real BTCPay Server.
 * Controlled over the IPC channel; see BenchEmulator in batch.ts.
 */
import { startEmulator, seedStore, type ForcedError } from '../test/btcpay-emulator';

export type EmulatorCommand =
	| { id: number; cmd: 'reset' }
	| { id: number; cmd: 'stats' }
	| { id: number; cmd: 'log'; path?: string }
	| { id: number; cmd: 'failNext'; error: ForcedError }
	| { id: number; cmd: 'close' };

async function main(): Promise<void> {
	const latencyMs = Number(process.argv[2] ?? 0);
	const validate = process.argv[3] !== 'no-validate';
	const emulator = await startEmulator({ latencyMs, validate });
	// The emulator closes idle connections after 1 s and says so (`Keep-Alive: timeout=1`), which
	// makes undici (fetch) drop every connection after one response. BTCPay Server's Kestrel keeps
	// them 130 s (nginx in front: 75 s), so the bench keeps them as a real server would.
	const server = (emulator as unknown as { server: { keepAliveTimeout: number } }).server;
	server.keepAliveTimeout = 75_000;
	const store = seedStore(emulator, { name: 'Bench shop' });
	// Ends with the bench process, however that ends.
	process.on('disconnect', () => process.exit(0));
	process.on('message', (message: EmulatorCommand) => {
		const reply = (result: unknown) => process.send?.({ id: message.id, result });
		switch (message.cmd) {
			case 'reset':
				emulator.resetStats();
				emulator.clearForcedErrors();
				return reply(true);
			case 'stats':
				return reply({
					maxConcurrent: emulator.maxConcurrent,
					requestCount: emulator.requestCount,
					violations: emulator.violations.length,
					violationSamples: emulator.violations.slice(0, 5),
				});
			case 'log':
				return reply(
					emulator.requestLog
						.filter((e) => !message.path || e.path === message.path)
						.map(({ method, path, status, startedAt, durationMs }) => ({ method, path, status, startedAt, durationMs })),
				);
			case 'failNext':
				emulator.failNext(message.error);
				return reply(true);
			case 'close':
				void emulator.close().then(() => {
					reply(true);
					process.disconnect?.();
				});
				return;
		}
	});
	process.send?.({ ready: true, url: emulator.url, apiKey: emulator.apiKey, storeId: store.id });
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
