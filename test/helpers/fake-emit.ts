/** n8n's side of a trigger's emit in unit tests: the done promise n8n resolves once it recorded the execution. */
export interface Deferred {
	promise: Promise<unknown>;
	resolve: (v?: unknown) => void;
	reject: (e: Error) => void;
}

/** What `helpers.createDeferredPromise()` gives a node. */
export function deferred(): Deferred {
	const d = {} as Deferred;
	d.promise = new Promise((resolve, reject) => Object.assign(d, { resolve, reject }));
	return d;
}
