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
  testName: string;
  serverUrl: string;
  data: KeptData;
}

const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** One line of shell that shows the kept scope's tasks, valid for as long as its data lives. */
function inspectCommand({ scope, serverUrl, data }: KeptScope): string {
  if (data.until !== 'deleted') return `curl ${quoted(`${serverUrl}/api/v1/tasks?scope=${scope}`)}`;
  const query = `select id, queue, title, version from tasks where scope = '${scope}'`;
  return /^postgres(ql)?:\/\//.test(data.database)
    ? `psql ${quoted(data.database)} -c ${quoted(query)}`
    : `sqlite3 ${quoted(data.database.replace(/^sqlite:/, ''))} ${quoted(query)}`;
}

/** The kept scope's board on the server's dashboard, live while that server runs. */
const boardUrl = ({ scope, serverUrl }: KeptScope) =>
  `${serverUrl}/ui?scope=${encodeURIComponent(scope)}`;

/** What a failed test prints about the scope the kit kept for it. */
export function keptScopeMessage(kept: KeptScope): string {
  const lifetime =
    kept.data.until === 'run-ends'
      ? ' until this run ends (set OCTOPOID_TEST_DATABASE=<file> to keep it longer)'
      : '';
  return (
    `octopoid: kept scope ${kept.scope} of failed test "${kept.testName}"${lifetime}; inspect it with\n` +
    `  ${inspectCommand(kept)}\n` +
    `  or open its board: ${boardUrl(kept)}`
  );
}
