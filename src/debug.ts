/**
 * Whether debug lines are built in. True in every build but the minified
 * script-tag bundle, which replaces this module to stay small: there the
 * logger gets warnings and errors only.
 *
 * @internal
 */
export const DEBUG: boolean = true;
