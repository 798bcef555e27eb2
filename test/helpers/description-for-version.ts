/**
 * A node description as n8n shows it for one node version: parameters (and collection items) whose
 * displayOptions rule out that version are left out, and the `@version` conditions removed, so two
 * versions can be compared as plain descriptions.
 */
import { NodeHelpers, type INodeProperties, type INodePropertyCollection, type INodePropertyOptions, type INodeTypeDescription } from 'n8n-workflow';

type Item = INodeProperties | INodePropertyOptions | INodePropertyCollection;

function shownFor(item: Item, version: number): boolean {
	const { show, hide } = ('displayOptions' in item ? item.displayOptions : undefined) ?? {};
	if (show?.['@version'] && !NodeHelpers.checkConditions(show['@version'], [version])) return false;
	if (hide?.['@version'] && NodeHelpers.checkConditions(hide['@version'], [version])) return false;
	return true;
}

function withoutVersion<T extends Item>(item: T, version: number): T {
	const copy = { ...item } as T & { displayOptions?: INodeProperties['displayOptions']; options?: Item[]; values?: Item[] };
	if (copy.displayOptions) {
		const displayOptions = { ...copy.displayOptions };
		for (const key of ['show', 'hide'] as const) {
			const conditions = displayOptions[key];
			if (!conditions || !('@version' in conditions)) continue;
			const { '@version': _version, ...rest } = conditions;
			if (Object.keys(rest).length > 0) displayOptions[key] = rest;
			else delete displayOptions[key];
		}
		if (Object.keys(displayOptions).length > 0) copy.displayOptions = displayOptions;
		else delete copy.displayOptions;
	}
	if (Array.isArray(copy.options) && copy.options.some((o) => typeof o === 'object' && ('displayName' in o || 'values' in o))) {
		copy.options = visible(copy.options, version);
	}
	if (Array.isArray(copy.values)) copy.values = visible(copy.values, version);
	return copy;
}

function visible<T extends Item>(items: T[], version: number): T[] {
	return items.filter((i) => shownFor(i, version)).map((i) => withoutVersion(i, version));
}

/** The parameters of `description` as shown for node version `version`. */
export function propertiesForVersion(description: INodeTypeDescription, version: number): INodeProperties[] {
	return visible(description.properties, version);
}
