import pkg from '../package.json' with { type: 'json' };

/** The product version, from package.json. */
export const VERSION: string = pkg.version;
