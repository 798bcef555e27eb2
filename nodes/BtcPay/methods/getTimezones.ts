import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

/**
 * Time zones for the report's Time Zone option: first the workflow's own (what an
 * empty value means, as in n8n's Schedule and Date & Time nodes), then UTC and every
 * IANA zone this Node.js knows. Any other zone name can be given by expression.
 */
export async function getTimezones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const workflowZone = this.getTimezone();
	const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
	return [
		{ name: `Workflow Time Zone (${workflowZone})`, value: '', description: 'Settings > Timezone of the workflow, else the instance default (GENERIC_TIMEZONE)' },
		{ name: 'UTC', value: 'UTC' },
		...zones.filter((zone) => zone !== 'UTC').map((zone) => ({ name: zone.replace(/_/g, ' '), value: zone })),
	];
}
