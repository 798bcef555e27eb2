/**
 * `startEmulator()` starts a BTCPay Greenfield emulator on 127.0.0.1 with
 * every route module registered. Example (bench or test):
 *
 *   const emu = await startEmulator({ latencyMs: 25 });
 *   const store = seedStore(emu, { name: 'Shop' });
 *   const client = new BtcPayClient({ url: emu.url, apiKey: emu.apiKey });
 *   ...; console.log(emu.maxConcurrent); emu.assertNoViolations(); await emu.close();
 */
import { BtcPayEmulator, type EmulatorOptions } from './server';
import { routeModules } from './routes';

export async function startEmulator(options: EmulatorOptions = {}): Promise<BtcPayEmulator> {
	const emulator = new BtcPayEmulator(options);
	for (const module of routeModules) module.register(emulator);
	return emulator.listen();
}

export { BtcPayEmulator, base58Id, notFound, validationError, IMPLIED_PERMISSIONS } from './server';
export type { EmulatorOptions, EmulatorRequest, EmulatorResponse, ForcedError, RouteHandler, RouteOptions, Violation, ApiKeyRecord, Json } from './server';
export { seedStore, findStore, storesOf } from './routes/stores';
export { payInvoice, invoicesOf, toInvoiceData } from './routes/invoices';
