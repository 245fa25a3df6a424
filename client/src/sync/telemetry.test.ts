import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { Telemetry } from '@shared/sync/protocol.ts';
import { uuidv7 } from '@shared/uuid.ts';
import { openDb } from './testing/device.ts';
import { collectTelemetry, errorText, MAX_ERROR_TEXT } from './telemetry.ts';

/** Whatever the phone has seen, its telemetry must be something the server accepts, or every sync fails. */
describe('telemetry the server always accepts', () => {
  it('cuts an error text without splitting a character and drops control characters', () => {
    const emoji = '😀'; // two UTF-16 units
    const text = errorText(new Error(`${'x'.repeat(MAX_ERROR_TEXT - 1)}${emoji}`));
    expect(text).toHaveLength(MAX_ERROR_TEXT - 1);
    expect(errorText('bad\u0000byte\u0007 and a lone \ud800 half')).toBe('badbyte and a lone  half');
    expect(errorText('two\nlines')).toBe('two\nlines');
  });

  it('leaves out times from a clock set to 1970, and still validates', async () => {
    const db = openDb(`telemetry-${uuidv7()}`);
    await db.setMeta('lastError', `timeout ${'😀'.repeat(600)}`);
    await db.setMeta('lastErrorAt', new Date(0).toISOString());
    await db.outbox.add({ id: 1, name: 'visit.create', args: {}, hlc: '0000000000000000-0000-x', createdAt: new Date(0).toISOString() });
    const t = await collectTelemetry(db, '0.2.0', new Date(0));
    expect(t).toMatchObject({ oldestPendingAt: null, lastErrorAt: null, outboxLength: 1 });
    expect(t.deviceTime).toBeUndefined();
    expect([...Value.Errors(Telemetry, t)]).toEqual([]);
    const now = await collectTelemetry(db, '0.2.0', new Date('2026-11-23T08:00:00Z'));
    expect(now.deviceTime).toBe('2026-11-23T08:00:00.000Z');
    db.close();
  });
});
