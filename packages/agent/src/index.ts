/**
 * The kyso reference token agent (issue 6). Being built.
 * @packageDocumentation
 */
export {};
