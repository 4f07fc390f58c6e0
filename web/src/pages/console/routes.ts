import type { PageRoute } from '../routes';
import { AccountPage } from './account';
import { AccountSearchPage } from './accounts';
import { HealthPage } from './health';
import { IncidentPage } from './incident';
import { IncidentQueuePage } from './incidents';
import { NoticesPage } from './notices';
import { RecordRequestsPage } from './records';

/** The support console's pages (nav keys in the `staff` namespace), for support and admin staff. */
export const CONSOLE_ROUTES: readonly PageRoute[] = [
  { path: '/console', component: IncidentQueuePage, nav: 'nav.incidents', access: 'staff' },
  { path: '/console/incidents/:reference', component: IncidentPage, access: 'staff' },
  { path: '/console/accounts', component: AccountSearchPage, nav: 'nav.accounts', access: 'staff' },
  { path: '/console/accounts/:uid', component: AccountPage, access: 'staff' },
  { path: '/console/notices', component: NoticesPage, nav: 'nav.notices', access: 'staff' },
  { path: '/console/records', component: RecordRequestsPage, nav: 'nav.records', access: 'staff' },
  { path: '/console/health', component: HealthPage, nav: 'nav.health', access: 'staff' },
];
