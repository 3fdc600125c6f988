// The sites the inspector runs on: the manifest's defaults and the sites the user invited, whose
// content scripts are registered while the browser holds their host permission.

export { SiteAccess } from './site-access.ts';
