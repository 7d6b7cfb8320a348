/**
 * The script-tag entry: every public export, as the `NextAuthWS` global.
 *
 * @packageDocumentation
 */

export * from "./index";
