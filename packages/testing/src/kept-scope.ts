export interface KeptScope {
  scope: string;
  testName: string;
  serverUrl: string;
  /** The run's in-process database, or `null` for a server that outlives the run. */
  database: string | null;
}

const quoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** One line of shell that shows the kept scope's tasks, valid for as long as its data lives. */
function inspectCommand({ scope, serverUrl, database }: KeptScope): string {
  if (database === null || database === ':memory:') {
    return `curl ${quoted(`${serverUrl}/api/v1/tasks?scope=${scope}`)}`;
  }
  const query = `select id, queue, title, version from tasks where scope = '${scope}'`;
  return /^postgres(ql)?:\/\//.test(database)
    ? `psql ${quoted(database)} -c ${quoted(query)}`
    : `sqlite3 ${quoted(database.replace(/^sqlite:/, ''))} ${quoted(query)}`;
}

/** What a failed test prints about the scope the kit kept for it. */
export function keptScopeMessage(kept: KeptScope): string {
  const lifetime =
    kept.database === ':memory:'
      ? ' (in memory until this run ends; set OCTOPOID_TEST_DATABASE=<file> to keep it longer)'
      : '';
  return (
    `octopoid: kept scope ${kept.scope} of failed test "${kept.testName}"${lifetime}; inspect it with\n` +
    `  ${inspectCommand(kept)}`
  );
}
