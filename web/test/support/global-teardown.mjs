// Stops the stack global-setup started (SIGINT: it stops every service it started).
export default async function globalTeardown() {
  const child = globalThis.__ORDERPALLY_STACK__;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  let timer;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
  // A pending timer would keep jest from exiting ("did not exit one second after the test run").
  clearTimeout(timer);
  if (child.exitCode === null) child.kill('SIGKILL');
}
