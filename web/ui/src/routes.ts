/** The console's pages: the paths the server answers with index.html, and their titles. */

export interface RouteDef {
  path: string;
  title: string;
}

export const ROUTES: readonly RouteDef[] = [
  { path: '/query', title: 'Query' },
  { path: '/alerts', title: 'Alerts' },
  { path: '/targets', title: 'Targets' },
  { path: '/service-discovery', title: 'Service discovery' },
  { path: '/rules', title: 'Rules' },
  { path: '/tsdb-status', title: 'TSDB status' },
  { path: '/status', title: 'Runtime & build info' },
  { path: '/config', title: 'Configuration' },
  { path: '/flags', title: 'Command-line flags' },
];
