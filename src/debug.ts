/**
 * Whether debug lines are built in. True in every build but the minified
 * script-tag bundle, which replaces this module to stay small: there the
 * logger gets warnings and errors only.
 *
 * @internal
 */
// Typed wide on purpose: as a literal `true`, every `if (DEBUG)` would
// read as a constant condition.
// eslint-disable-next-line @typescript-eslint/no-inferrable-types
export const DEBUG: boolean = true;
