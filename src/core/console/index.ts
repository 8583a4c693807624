/** Console file accessors over the XML model: App Sets, Mixdesk layouts, validation. */
export * from './app-set.ts';
export * from './colours.ts';
export * from './fields.ts';
export * from './layout.ts';
export * from './surfaces.ts';
export * from './layout-csv.ts';
export * from './validate.ts';
export * from './layout-merge.ts';
export * from './layout-resolve.ts';
export * from './layout-tracks.ts';
export * from './field-merge.ts';
export * from './field-text.ts';
export * from './text-merge.ts';
export * from './human-diff.ts';
export * from './strip-sheet.ts';
