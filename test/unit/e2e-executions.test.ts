import { distinctExecutions } from '../e2e/harness/n8n';

// n8n's execution list joins a "current" and a "completed" query run side by side, so an execution
// finishing in between is listed twice; the e2e counts must see it once, finished.
describe('e2e harness: distinctExecutions', () => {
	const e = (id: string, status: string) => ({ id, status, mode: 'webhook' }) as any;

	test('an execution listed as running and as finished counts once, finished', () => {
		const out = distinctExecutions([e('9', 'running'), e('9', 'success'), e('8', 'success'), e('7', 'error')]);
		expect(out.map((x) => [x.id, x.status])).toEqual([
			['9', 'success'],
			['8', 'success'],
			['7', 'error'],
		]);
	});

	test('the finished entry wins whichever comes first; a running one alone stays', () => {
		expect(distinctExecutions([e('9', 'success'), e('9', 'running')]).map((x) => x.status)).toEqual(['success']);
		expect(distinctExecutions([e('5', 'running'), e('6', 'new')]).map((x) => x.id)).toEqual(['5', '6']);
	});
});
