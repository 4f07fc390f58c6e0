import type { FunctionComponent } from 'preact';

/** One page of the app: its path (preact-iso syntax, e.g. `/console/incidents/:reference`), component and nav entry. */
export interface PageRoute {
  readonly path: string;
  readonly component: FunctionComponent;
  /** i18n key (in the page area's namespace) of its nav link; pages without one are reached from others. */
  readonly nav?: string;
  /** Who may open it: anyone, signed-in sellers, or staff (the functions refuse the others anyway). */
  readonly access: 'public' | 'signed-in' | 'staff';
}
