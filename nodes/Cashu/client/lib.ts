/**
 * @cashu/cashu-ts (the Cashu project's TypeScript library) is loaded on first
 * use, not when n8n loads the nodes: its curve code is only needed by a
 * workflow that handles ecash.
 */
type CashuModule = typeof import('@cashu/cashu-ts');
let cashuModule: CashuModule | undefined;

export function cashuLib(): CashuModule {
	return (cashuModule ??= require('@cashu/cashu-ts') as CashuModule);
}
