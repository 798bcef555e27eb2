/**
 * Reader for LND's streamed REST responses: one JSON object per line, each
 * `{"result": ...}` or `{"error": {...}}`.
 */

export type StreamLine = { result: unknown } | { error: unknown };

export interface ReadLinesOptions {
	/** Stop (and cancel the stream) when this returns true for a result. */
	until?: (result: unknown) => boolean;
	/** Stop after this many ms, keeping what arrived (default: no deadline). */
	deadlineMs?: number;
	signal?: AbortSignal;
}

export interface ReadLinesResult {
	lines: StreamLine[];
	/** Why reading stopped. */
	ended: 'until' | 'error' | 'eof' | 'deadline' | 'aborted';
}

function parseLine(line: string): StreamLine {
	try {
		const value = JSON.parse(line) as Record<string, unknown>;
		if (value && typeof value === 'object' && 'error' in value && value.error) return { error: value.error };
		if (value && typeof value === 'object' && 'result' in value) return { result: value.result };
		return { result: value };
	} catch {
		return { error: { message: `unreadable line in LND stream: ${line.slice(0, 200)}` } };
	}
}

/** Reads newline-delimited JSON until `until` matches, an error line, end of stream or the deadline. */
export async function readJsonLines(body: ReadableStream<Uint8Array> | null, options: ReadLinesOptions = {}): Promise<ReadLinesResult> {
	const lines: StreamLine[] = [];
	if (!body) return { lines, ended: 'eof' };
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	let stopReason: ReadLinesResult['ended'] | undefined;
	let timer: NodeJS.Timeout | undefined;
	const stop = (reason: ReadLinesResult['ended']) => {
		if (stopReason) return;
		stopReason = reason;
		reader.cancel().catch(() => undefined);
	};
	if (options.deadlineMs !== undefined) timer = setTimeout(() => stop('deadline'), options.deadlineMs);
	const onAbort = () => stop('aborted');
	options.signal?.addEventListener('abort', onAbort, { once: true });

	const handle = (raw: string): boolean => {
		const text = raw.trim();
		if (!text) return false;
		const line = parseLine(text);
		lines.push(line);
		if ('error' in line) {
			stop('error');
			return true;
		}
		if (options.until?.(line.result)) {
			stop('until');
			return true;
		}
		return false;
	};

	try {
		while (!stopReason) {
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await reader.read();
			} catch (error) {
				if (stopReason) break;
				throw error;
			}
			if (chunk.done) {
				buffer += decoder.decode();
				if (!stopReason && buffer.trim()) handle(buffer);
				buffer = '';
				if (!stopReason) stopReason = 'eof';
				break;
			}
			buffer += decoder.decode(chunk.value, { stream: true });
			let newline = buffer.indexOf('\n');
			while (newline >= 0 && !stopReason) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
				if (handle(line)) break;
				newline = buffer.indexOf('\n');
			}
		}
	} finally {
		if (timer) clearTimeout(timer);
		options.signal?.removeEventListener('abort', onAbort);
	}
	return { lines, ended: stopReason ?? 'eof' };
}

/** Yields each line of a newline-delimited JSON body as it arrives. */
export async function* iterateJsonLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<StreamLine> {
	if (!body) return;
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	try {
		for (;;) {
			const chunk = await reader.read();
			if (chunk.done) break;
			buffer += decoder.decode(chunk.value, { stream: true });
			let newline = buffer.indexOf('\n');
			while (newline >= 0) {
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (line) yield parseLine(line);
				newline = buffer.indexOf('\n');
			}
		}
		buffer += decoder.decode();
		if (buffer.trim()) yield parseLine(buffer.trim());
	} finally {
		reader.cancel().catch(() => undefined);
	}
}
