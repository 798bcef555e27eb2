/**
 * Static data belongs to one workflow: fake contexts sharing a static data object
 * share the workflow id (and so a trigger's in-process delivery memory); any
 * other static data object gets a workflow of its own.
 */
const workflowIds = new WeakMap<object, string>();
let workflowCount = 0;

export function workflowIdOf(staticData: object): string {
	let id = workflowIds.get(staticData);
	if (!id) {
		id = `wf-${++workflowCount}`;
		workflowIds.set(staticData, id);
	}
	return id;
}
