/**
 * The value a field gets on erasure (Art. 17). Pure except for random strings, which draw from
 * the system's CSPRNG. Masked values are computed once, before the first write, and kept in the
 * request's step log, so that a re-run after a crash writes the same values again: nothing is
 * masked twice (an HMAC of an HMAC) and nothing is missed.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { Value } from '../../connectors/connector.js';
import type { MaskingStrategy } from '../../dataset/model.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `secret` is the resolved HMAC key for the hmac strategy. */
export function maskValue(strategy: MaskingStrategy, value: Value, secret?: string): Value {
  switch (strategy.strategy) {
    case 'null':
      return null;
    case 'fixed':
      return `${strategy.prefix ?? ''}${strategy.value}${strategy.suffix ?? ''}`;
    case 'hmac': {
      if (secret === undefined || secret.length === 0) throw new Error('hmac masking needs its key');
      if (value === null) return null;
      const text = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value instanceof Date ? value.toISOString() : String(value);
      return createHmac('sha256', secret).update(text, 'utf8').digest('hex').slice(0, strategy.length ?? 64);
    }
    case 'random_string': {
      let out = '';
      for (let i = 0; i < strategy.length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
      return out;
    }
  }
}

/** Whether the masked value is the same for every row (one UPDATE for all rows) or per row. */
export const isConstantStrategy = (strategy: MaskingStrategy): boolean => strategy.strategy === 'null' || strategy.strategy === 'fixed';
