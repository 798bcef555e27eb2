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
export type { EmulatorEvent, EmulatorOptions, EmulatorRequest, EmulatorResponse, ForcedError, RouteHandler, RouteOptions, Violation, ApiKeyRecord, Json } from './server';
export { seedStore, findStore, storesOf, setStorePaymentMethods, storePaymentMethods, DEFAULT_STORE_PAYMENT_METHODS } from './routes/stores';
export { payInvoice, simulatePayment, confirmPayment, invoicesOf, toInvoiceData } from './routes/invoices';
export type { SimulatedPaymentOptions, InvoiceRecord, InvoicePaymentRecord } from './routes/invoices';
export { sendWebhookEvent, settleDeliveries, webhookQueueIdle, deliveryAttempts, webhooksOf, RETRY_DELAYS_SECONDS, ANSWER_TIMEOUT_SECONDS } from './routes/webhooks';
export type { DeliveryAttempt, SentDelivery } from './routes/webhooks';
export { subscriptionState, subscriberOf, parseSelector, roundHalfEven, addMonths } from './routes/subscriptions';
export type { OfferingRecord, PlanRecord, SubscriberRecord, CheckoutRecord, PortalRecord, Phase } from './routes/subscriptions';
export { createAppInvoice, appsOf } from './routes/apps';
export type { AppRecord } from './routes/apps';
export { setDefaultCurrencyPairs, RATE_SOURCES } from './routes/rates';
export { usersState, setServerPolicies, addNotification } from './routes/users';
export { emulatedAddress } from './routes/paymentMethods';
