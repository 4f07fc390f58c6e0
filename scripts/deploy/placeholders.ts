/** Resolves `{{NAME}}` placeholders everywhere in a value. */
export function resolve<T>(value: T, vars: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      const v = vars.get(name);
      if (v === undefined) throw new Error(`${whole} is used before a step captured it`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolve(v, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, vars)])) as T;
  }
  return value;
}
