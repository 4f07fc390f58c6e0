export default async function globalTeardown() {
  const services = globalThis.__ORDERPALLY_SERVICES__ ?? [];
  await Promise.all(services.map((s) => s.stop()));
}
