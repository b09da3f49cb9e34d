/**
 * Kubernetes resource quantities ("100m", "1.5Gi", "2e3"), parsed as apimachinery's
 * resource.ParseQuantity parses them (same grammar, same suffixes, same round-up to 1n, same
 * BinarySI cap at 2^63-1) and turned into integers the way Quantity.MilliValue()/Value() do:
 * rounded up, away from zero. Amounts are held exactly (a bigint scaled by a power of ten),
 * never as floats, so sums of container requests round once, at the end, as kube's do.
 */

/** The code on every QuantityError; callers match on it, never on the message. */
export const QUANTITY_INVALID = 'PLUGD_ERR_QUANTITY_INVALID' as const;

/** Why a quantity was refused: bad shape, bad digits, unknown suffix, or no exact integer form. */
export type QuantityErrorReason = 'format' | 'numeric' | 'suffix' | 'range';

export class QuantityError extends Error {
  readonly code = QUANTITY_INVALID;
  readonly reason: QuantityErrorReason;
  /** The text that was being parsed or converted. */
  readonly input: string;

  constructor(reason: QuantityErrorReason, input: string, detail: string) {
    super(`invalid quantity ${JSON.stringify(input)}: ${detail}`);
    this.name = 'QuantityError';
    this.reason = reason;
    this.input = input;
  }
}

/** The three serialisation families kube remembers for a parsed quantity. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** An exact amount: unscaled × 10^(−scale) (inf.Dec's convention). Never more than 9 fractional digits. */
export interface Quantity {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

export const ZERO_QUANTITY: Quantity = Object.freeze({ unscaled: 0n, scale: 0, format: 'DecimalSI' });

// apimachinery's splitREString, quoted in its ErrFormatWrong.
const GRAMMAR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX_CHARS = 'eEinumkKMGTP';
const NANO_SCALE = 9;
const MAX_INT64 = 9223372036854775807n;
// Magnitudes past 10^1000 have no integer form anywhere; refusing them keeps bigint work bounded.
const MAX_NEGATIVE_SCALE = 1000;

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60],
]);

interface Scanned {
  readonly positive: boolean;
  readonly num: string;
  readonly denom: string;
  readonly suffix: string;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** A port of parseQuantityString: splits sign, integer digits, fraction digits and suffix. */
function scan(str: string): Scanned {
  const end = str.length;
  let positive = true;
  let pos = 0;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str[i] as string)) i++;
  const num = i > pos ? str.slice(pos, i) : '0';
  pos = i;

  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j] as string)) j++;
    denom = str.slice(pos, j);
    pos = j;
  }

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos] as string)) pos++;
  if (pos < end) {
    throw new QuantityError('format', str, `unexpected ${JSON.stringify(str[pos])} at offset ${pos}; ${GRAMMAR}`);
  }
  return { positive, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  readonly base: 2 | 10;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

/** A port of suffixHandler.interpret: decimal SI, binary SI, then e/E exponents. */
function interpret(input: string, suffix: string): Suffix {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(digits)) {
      const exponent = Number(digits);
      // Go narrows the parsed int64 to int32 (it would wrap); refuse instead of wrapping.
      if (Number.isSafeInteger(exponent) && Math.abs(exponent) <= 0x7fffffff) {
        return { base: 10, exponent, format: 'DecimalExponent' };
      }
    }
  }
  throw new QuantityError(
    'suffix',
    input,
    `unable to parse quantity's suffix ${JSON.stringify(suffix)} (want n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<int>)`,
  );
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Drops fractional digits past `scale` digits, rounding away from zero (inf.RoundUp). */
function roundUpToScale(unscaled: bigint, from: number, to: number): bigint {
  const drop = from - to;
  if (drop <= 0 || unscaled === 0n) return unscaled;
  const sign = unscaled < 0n ? -1n : 1n;
  const magnitude = unscaled * sign;
  // A divisor longer than the number itself leaves only the rounded-up unit.
  if (drop > magnitude.toString().length) return sign;
  const divisor = pow10(drop);
  const q = magnitude / divisor;
  return sign * (magnitude % divisor === 0n ? q : q + 1n);
}

/**
 * Parses a quantity exactly as resource.ParseQuantity does. Throws a QuantityError
 * (reason 'format' | 'suffix' | 'range') for anything kube would refuse, or whose magnitude
 * exceeds 10^1000. Leading/trailing whitespace is refused, as in kube.
 */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError('format', str, `empty string; ${GRAMMAR}`);
  if (str === '0') return ZERO_QUANTITY;
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format: parsedFormat } = interpret(str, suffix);

  let unscaled = BigInt(num + denom);
  if (!positive) unscaled = -unscaled;
  let scale = denom.length;
  if (base === 10) {
    scale -= exponent;
  } else {
    unscaled *= 2n ** BigInt(exponent);
  }
  if (unscaled === 0n) return { unscaled: 0n, scale: 0, format: parsedFormat };

  // Non-zero amounts round up to the smallest representable value, 1n (kube: "if you want some
  // resources, you should get some resources").
  if (scale > NANO_SCALE) {
    unscaled = roundUpToScale(unscaled, scale, NANO_SCALE);
    scale = NANO_SCALE;
  }
  if (scale < -MAX_NEGATIVE_SCALE) {
    throw new QuantityError('range', str, `magnitude above 10^${MAX_NEGATIVE_SCALE} cannot be an amount of anything`);
  }

  let format = parsedFormat;
  if (format === 'BinarySI') {
    const magnitude = unscaled < 0n ? -unscaled : unscaled;
    // kube caps binary quantities at 2^63-1 (keeping the sign); decimal ones are not capped.
    if (compareScaled(magnitude, scale, MAX_INT64, 0) > 0) {
      unscaled = unscaled < 0n ? -MAX_INT64 : MAX_INT64;
      scale = 0;
    } else if (compareScaled(magnitude, scale, 1n, 0) < 0) {
      format = 'DecimalSI';
    }
  }
  return { unscaled, scale, format };
}

function compareScaled(a: bigint, aScale: number, b: bigint, bScale: number): -1 | 0 | 1 {
  const s = Math.max(aScale, bScale);
  const x = a * pow10(s - aScale);
  const y = b * pow10(s - bScale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** −1, 0 or 1 as a is less than, equal to or greater than b (Quantity.Cmp). */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return compareScaled(a.unscaled, a.scale, b.unscaled, b.scale);
}

/** a + b exactly (Quantity.Add); the result keeps a's format unless a is zero. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  if (b.unscaled === 0n) return a;
  if (a.unscaled === 0n) return b;
  const scale = Math.max(a.scale, b.scale);
  const unscaled = a.unscaled * pow10(scale - a.scale) + b.unscaled * pow10(scale - b.scale);
  return { unscaled, scale, format: a.format };
}

/** ceil(q × 10^digits) away from zero, as Quantity.ScaledValue does for int64-backed amounts. */
function scaledValue(q: Quantity, digits: number): bigint {
  const drop = q.scale - digits;
  if (drop <= 0) return q.unscaled * pow10(-drop);
  return roundUpToScale(q.unscaled, q.scale, digits);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toSafeInteger(value: bigint, what: string, label: string): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new QuantityError('range', label, `${what} ${value} is beyond ±(2^53−1), the largest exact integer here`);
  }
  return Number(value);
}

/** Quantity.Value(): the amount in base units, rounded up (away from zero). Throws past 2^53−1. */
export function quantityValue(q: Quantity, label?: string): number {
  return toSafeInteger(scaledValue(q, 0), 'value', label ?? quantityToDecimalString(q));
}

/** Quantity.MilliValue(): ceil(amount × 1000), away from zero. Throws past 2^53−1. */
export function quantityMilliValue(q: Quantity, label?: string): number {
  return toSafeInteger(scaledValue(q, 3), 'milli-value', label ?? quantityToDecimalString(q));
}

/** parseQuantity + quantityValue: "1Gi" → 1073741824, "0.5" → 1, "1k" → 1000. */
export function parseQuantityValue(str: string): number {
  return quantityValue(parseQuantity(str), str);
}

/** parseQuantity + quantityMilliValue: "100m" → 100, "0.5" → 500, "1" → 1000. */
export function parseQuantityMilliValue(str: string): number {
  return quantityMilliValue(parseQuantity(str), str);
}

/** The exact decimal text of an amount ("1.5", "-0.000000001"), for messages and tests. */
export function quantityToDecimalString(q: Quantity): string {
  const negative = q.unscaled < 0n;
  const digits = (negative ? -q.unscaled : q.unscaled).toString();
  let text: string;
  if (q.scale <= 0) {
    text = q.unscaled === 0n ? '0' : digits + '0'.repeat(-q.scale);
  } else {
    const padded = digits.padStart(q.scale + 1, '0');
    const intPart = padded.slice(0, padded.length - q.scale);
    const frac = padded.slice(padded.length - q.scale).replace(/0+$/, '');
    text = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  }
  return negative ? `-${text}` : text;
}
