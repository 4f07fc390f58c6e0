import type { PageRoute } from '../routes';
import { AccountPage } from './account';
import { ActivityPage } from './activity';
import { ApiKeysPage } from './api-keys';
import { ContentPage } from './content';
import { InboxPage } from './inbox';
import { IncidentsPage } from './incidents';
import { RecordsPage } from './records';
import { ReportPage } from './report';
import { SettingsPage } from './settings';
import { TerminationPage } from './termination';

/** The account centre's pages (nav keys in the `seller` namespace). */
export const SELLER_ROUTES: readonly PageRoute[] = [
  { path: '/', component: AccountPage, nav: 'nav.account', access: 'signed-in' },
  { path: '/inbox', component: InboxPage, nav: 'nav.inbox', access: 'signed-in' },
  { path: '/content', component: ContentPage, nav: 'nav.content', access: 'signed-in' },
  { path: '/termination', component: TerminationPage, nav: 'nav.termination', access: 'signed-in' },
  { path: '/api-keys', component: ApiKeysPage, nav: 'nav.apiKeys', access: 'signed-in' },
  { path: '/activity', component: ActivityPage, nav: 'nav.activity', access: 'signed-in' },
  { path: '/records', component: RecordsPage, nav: 'nav.records', access: 'signed-in' },
  { path: '/incidents', component: IncidentsPage, nav: 'nav.incidents', access: 'signed-in' },
  { path: '/report', component: ReportPage, nav: 'nav.report', access: 'public' },
  { path: '/settings', component: SettingsPage, nav: 'nav.settings', access: 'signed-in' },
];
