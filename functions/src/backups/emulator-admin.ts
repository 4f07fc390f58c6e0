/*
 * The Firestore emulator's REST admin endpoints (DESIGN §10), the local stand-in for the Firestore
 * Admin API's export and import. `Authorization: Bearer owner` bypasses the security rules.
 */

const TIMEOUT_MS = 120_000;

function database(projectId: string): string {
  return `projects/${projectId}/databases/(default)`;
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new Error(`Cannot reach the Firestore emulator at ${new URL(url).host} (is \`npm start\` running?): ${error instanceof Error ? error.message : String(error)}`);
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`Firestore emulator answered ${response.status}: ${message}`);
  }
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

/**
 * Exports the whole emulator database into `<directory>/<name>/` (the managed-export layout).
 * `directory` must exist and be a path on the emulator's machine.
 */
export async function emulatorExport(host: string, projectId: string, directory: string, name: string): Promise<void> {
  await post(`http://${host}/emulator/v1/projects/${projectId}:export`, {
    database: database(projectId),
    export_directory: directory,
    export_name: name,
  });
}

/**
 * Imports an export into the emulator: documents with the same path are overwritten, documents
 * that are not in the export are left as they are.
 * @param metadataFile the export's `….overall_export_metadata` file (what the emulator takes).
 */
export async function emulatorImport(host: string, projectId: string, metadataFile: string): Promise<void> {
  await post(`http://${host}/emulator/v1/projects/${projectId}:import`, {
    database: database(projectId),
    export_directory: metadataFile,
  });
}

/** Deletes every document of `projectId`'s emulator database (a scratch copy, never the live project). */
export async function emulatorWipe(host: string, projectId: string): Promise<void> {
  const response = await fetch(`http://${host}/emulator/v1/${database(projectId)}/documents`, {
    method: 'DELETE',
    headers: { Authorization: 'Bearer owner' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`Firestore emulator answered ${response.status} when emptying ${projectId}: ${(await response.text()).slice(0, 500)}`);
}

/**
 * Counts every document in the emulator database, at any depth: a count over the kindless
 * all-descendants query of the root (the query `recursiveDelete` uses).
 */
export async function emulatorCountDocuments(host: string, projectId: string): Promise<number> {
  const answer = await post(`http://${host}/v1/${database(projectId)}/documents:runAggregationQuery`, {
    structuredAggregationQuery: {
      structuredQuery: { from: [{ allDescendants: true }] },
      aggregations: [{ alias: 'n', count: {} }],
    },
  });
  const first = (answer as Array<{ result?: { aggregateFields?: { n?: { integerValue?: string } } } }>)[0];
  return Number(first?.result?.aggregateFields?.n?.integerValue ?? 0);
}
