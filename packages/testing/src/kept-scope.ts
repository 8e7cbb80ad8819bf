/** How long a kept scope's data can be looked at, which decides how to look at it. */
export type KeptData =
  /** A server the run did not start: its API answers for as long as it runs. */
  | { until: 'server-stops' }
  /** In memory, or in a database dropped at the end: only the running server can show it. */
  | { until: 'run-ends' }
  /** A SQLite file or a PostgreSQL database that stays after the run. */
  | { until: 'deleted'; database: string };

export interface KeptScope {
  scope: string;
  /** The test's full name: file, describe blocks and name, joined by ` > `. */
  testName: string;
  serverUrl: string;
  data: KeptData;
}

/** What the kit records on a failed test's task (`task.meta.octopoid`), for reporters. */
export interface KeptScopeMeta {
  keptScope: string;
  serverUrl: string;
  /** The dashboard view of the scope. */
  dashboard: string;
  /** One line of shell that shows the scope's tasks. */
  inspect: string;
  message: string;
}

const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * A connection URL safe to print: its password is left out (CI logs keep what they are given),
 * so tools read it from their usual place (`PGPASSWORD`, `~/.pgpass`). Text that is not a URL
 * is returned as it is.
 */
export function withoutPassword(location: string): string {
  if (!URL.canParse(location)) return location;
  const url = new URL(location);
  if (url.password === '') return location;
  url.password = '';
  return url.toString();
}

/** One line of shell that shows the kept scope's tasks, valid for as long as its data lives. */
function inspectCommand({ scope, serverUrl, data }: KeptScope): string {
  if (data.until !== 'deleted') return `curl ${quoted(`${serverUrl}/api/v1/tasks?scope=${scope}`)}`;
  const query = `select id, queue, title, version from tasks where scope = '${scope}'`;
  return /^postgres(ql)?:\/\//.test(data.database)
    ? `psql ${quoted(withoutPassword(data.database))} -c ${quoted(query)}`
    : `sqlite3 ${quoted(data.database.replace(/^sqlite:/, ''))} ${quoted(query)}`;
}

/** The kept scope's board on the server's dashboard, live while that server runs. */
export const dashboardLink = (serverUrl: string, scope: string) =>
  `${serverUrl}/ui?scope=${encodeURIComponent(scope)}`;

/** What a failed test reports about the scope the kit kept for it. */
export function keptScopeMessage(kept: KeptScope): string {
  const lifetime =
    kept.data.until === 'run-ends'
      ? ' until this run ends (set OCTOPOID_KEEP_SERVER=1 or OCTOPOID_TEST_DATABASE=<file> to keep it longer)'
      : '';
  return (
    `octopoid: kept scope ${kept.scope} of failed test "${kept.testName}"${lifetime}; inspect it with\n` +
    `  ${inspectCommand(kept)}\n` +
    `  or open its board: ${dashboardLink(kept.serverUrl, kept.scope)}`
  );
}

/** The record of a kept scope that reporters show (JSON: `meta.octopoid`). */
export function keptScopeMeta(kept: KeptScope): KeptScopeMeta {
  return {
    keptScope: kept.scope,
    serverUrl: kept.serverUrl,
    dashboard: dashboardLink(kept.serverUrl, kept.scope),
    inspect: inspectCommand(kept),
    message: keptScopeMessage(kept),
  };
}
