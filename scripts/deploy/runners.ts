import { spawn } from 'node:child_process';
import type { Runners } from './execute';

/**
 * The real edges: gcloud/firebase processes, Google APIs with Application Default Credentials
 * (quota billed to `project`), output to stdout.
 */
export async function defaultRunners(project: string): Promise<Runners> {
  const [{ CloudSchedulerClient }, { Storage }, { GoogleAuth }] = await Promise.all([
    import('@google-cloud/scheduler'),
    import('@google-cloud/storage'),
    import('google-auth-library'),
  ]);
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return {
    run: (argv, stdin) =>
      new Promise((done, fail) => {
        const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', fail);
        child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
        child.stdin.end(stdin ?? '');
      }),
    http: async (method, url, body) => {
      const client = await auth.getClient();
      const res = await client.request({ method, url, data: body, validateStatus: () => true, headers: { 'x-goog-user-project': project } });
      return { status: res.status, data: res.data };
    },
    scheduler: new CloudSchedulerClient(),
    storage: new Storage({ projectId: project }),
    log: (line) => process.stdout.write(`${line}\n`),
    now: () => performance.now(),
  };
}
