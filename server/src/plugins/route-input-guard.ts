import fp from 'fastify-plugin';
import type { RouteOptions } from 'fastify';

type Schema = Record<string, unknown>;

/** Formats whose shape already bounds a string (no control characters, a fixed length). */
const SELF_BOUNDED_FORMATS = new Set(['uuid', 'date-time']);

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * Where an input schema lets through a value the database cannot store or the code cannot use:
 * a string with no length bound or no shape (NUL, control characters), a number without both
 * bounds (`?days=Infinity`, `1e999`, an id past bigint), an array without a length bound.
 * A schema with no type at all (TypeBox's `Unknown`) is a deliberate "checked elsewhere", as
 * push's mutation arguments are, each by its kind's schema.
 */
export function looseInputs(schema: unknown, at: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Schema;
  if ('const' in s || Array.isArray(s.enum)) return [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key])) return (s[key] as unknown[]).flatMap((sub) => looseInputs(sub, at));
  }
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const found: string[] = [];
  for (const type of types) {
    if (type === 'string') {
      const shaped = typeof s.pattern === 'string' || typeof s.format === 'string';
      const bounded = finite(s.maxLength) || SELF_BOUNDED_FORMATS.has(s.format as string);
      if (!shaped || !bounded) found.push(`${at}: a string needs maxLength and a pattern (use Line/Text from shared/src/schemas/common.ts)`);
    } else if (type === 'integer' || type === 'number') {
      if (!finite(s.minimum) || !finite(s.maximum)) found.push(`${at}: a number needs a minimum and a maximum`);
    } else if (type === 'array') {
      if (!finite(s.maxItems)) found.push(`${at}: an array needs maxItems`);
      found.push(...looseInputs(s.items, `${at}[]`));
    } else if (type === 'object') {
      for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) found.push(...looseInputs(sub, `${at}.${name}`));
      for (const sub of Object.values((s.patternProperties ?? {}) as Record<string, unknown>)) found.push(...looseInputs(sub, `${at}.*`));
      if (s.additionalProperties && typeof s.additionalProperties === 'object') found.push(...looseInputs(s.additionalProperties, `${at}.*`));
    }
  }
  return found;
}

/** What is loose in one route's inputs, and whether a `:param` in its URL has a schema at all. */
export function looseRouteInputs(route: Pick<RouteOptions, 'method' | 'url' | 'schema'>): string[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const name = `${[route.method].flat().join(',')} ${route.url}`;
  const found: string[] = [];
  if (route.url.includes(':') && !schema.params) found.push(`${name}: params has no schema`);
  for (const part of ['params', 'querystring', 'body', 'headers'] as const) {
    found.push(...looseInputs(schema[part], `${name} ${part}`));
  }
  return found;
}

/**
 * Every route the API declares is checked as it is added; a loose schema stops the server at
 * start (and so every test), listing them all, instead of letting a NUL reach PostgreSQL as a
 * 500 later.
 */
export const routeInputGuard = fp(
  async (app) => {
    const found: string[] = [];
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/')) found.push(...looseRouteInputs(route));
    });
    app.addHook('onReady', async () => {
      if (found.length) throw new Error(`route input schemas too loose:\n  ${found.join('\n  ')}`);
    });
  },
  { name: 'route-input-guard' },
);
