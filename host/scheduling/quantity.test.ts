import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  parseQuantityMilliValue,
  parseQuantityValue,
  QUANTITY_INVALID,
  QuantityError,
  quantityMilliValue,
  quantityToDecimalString,
  quantityValue,
} from './quantity.js';

// staging/src/k8s.io/apimachinery/pkg/api/resource/quantity_test.go, TestQuantityParse:
// each decQuantity(i, exponent, format) written as the exact decimal it denotes.
const PARSE_TABLE: ReadonlyArray<readonly [string, string, string]> = [
  ['0', '0', 'DecimalSI'],
  ['0n', '0', 'DecimalSI'],
  ['0u', '0', 'DecimalSI'],
  ['0m', '0', 'DecimalSI'],
  ['0Ki', '0', 'BinarySI'],
  ['0k', '0', 'DecimalSI'],
  ['0Mi', '0', 'BinarySI'],
  ['0M', '0', 'DecimalSI'],
  ['0Gi', '0', 'BinarySI'],
  ['0G', '0', 'DecimalSI'],
  ['0Ti', '0', 'BinarySI'],
  ['0T', '0', 'DecimalSI'],
  // Quantity less numbers are allowed
  ['1', '1', 'DecimalSI'],
  // Binary suffixes
  ['1Ki', '1024', 'BinarySI'],
  ['8Ki', '8192', 'BinarySI'],
  ['7Mi', '7340032', 'BinarySI'],
  ['6Gi', '6442450944', 'BinarySI'],
  ['5Ti', '5497558138880', 'BinarySI'],
  ['4Pi', '4503599627370496', 'BinarySI'],
  ['3Ei', '3458764513820540928', 'BinarySI'],
  ['10Ti', '10995116277760', 'BinarySI'],
  ['100Ti', '109951162777600', 'BinarySI'],
  // Decimal suffixes
  ['5n', '0.000000005', 'DecimalSI'],
  ['4u', '0.000004', 'DecimalSI'],
  ['3m', '0.003', 'DecimalSI'],
  ['9', '9', 'DecimalSI'],
  ['8k', '8000', 'DecimalSI'],
  ['50k', '50000', 'DecimalSI'],
  ['7M', '7000000', 'DecimalSI'],
  ['6G', '6000000000', 'DecimalSI'],
  ['5T', '5000000000000', 'DecimalSI'],
  ['40T', '40000000000000', 'DecimalSI'],
  ['300T', '300000000000000', 'DecimalSI'],
  ['2P', '2000000000000000', 'DecimalSI'],
  ['1E', '1000000000000000000', 'DecimalSI'],
  // Decimal exponents
  ['1E-3', '0.001', 'DecimalExponent'],
  ['1e3', '1000', 'DecimalExponent'],
  ['1E6', '1000000', 'DecimalExponent'],
  ['1e9', '1000000000', 'DecimalExponent'],
  ['1E12', '1000000000000', 'DecimalExponent'],
  ['1e15', '1000000000000000', 'DecimalExponent'],
  ['1E18', '1000000000000000000', 'DecimalExponent'],
  // Nonstandard but still parsable
  ['1e14', '100000000000000', 'DecimalExponent'],
  ['1e13', '10000000000000', 'DecimalExponent'],
  ['100.035k', '100035', 'DecimalSI'],
  // Things that look like floating point
  ['0.001', '0.001', 'DecimalSI'],
  ['0.0005k', '0.5', 'DecimalSI'],
  ['0.005', '0.005', 'DecimalSI'],
  ['0.05', '0.05', 'DecimalSI'],
  ['0.5', '0.5', 'DecimalSI'],
  ['0.00050k', '0.5', 'DecimalSI'],
  ['0.00500', '0.005', 'DecimalSI'],
  ['0.05000', '0.05', 'DecimalSI'],
  ['0.50000', '0.5', 'DecimalSI'],
  ['0.5e0', '0.5', 'DecimalExponent'],
  ['0.5e-1', '0.05', 'DecimalExponent'],
  ['0.5e-2', '0.005', 'DecimalExponent'],
  ['10.035M', '10035000', 'DecimalSI'],
  ['1.2e3', '1200', 'DecimalExponent'],
  ['1.3E+6', '1300000', 'DecimalExponent'],
  ['1.40e9', '1400000000', 'DecimalExponent'],
  ['1.53E12', '1530000000000', 'DecimalExponent'],
  ['1.6e15', '1600000000000000', 'DecimalExponent'],
  ['1.7E18', '1700000000000000000', 'DecimalExponent'],
  ['9.01', '9.01', 'DecimalSI'],
  ['8.1k', '8100', 'DecimalSI'],
  ['7.123456M', '7123456', 'DecimalSI'],
  ['6.987654321G', '6987654321', 'DecimalSI'],
  ['5.444T', '5444000000000', 'DecimalSI'],
  ['40.1T', '40100000000000', 'DecimalSI'],
  ['300.2T', '300200000000000', 'DecimalSI'],
  ['2.5P', '2500000000000000', 'DecimalSI'],
  ['1.01E', '1010000000000000000', 'DecimalSI'],
  // Things that saturate/round
  ['3.001n', '0.000000004', 'DecimalSI'],
  ['1.1E-9', '0.000000002', 'DecimalExponent'],
  ['0.0000000001', '0.000000001', 'DecimalSI'],
  ['0.0000000005', '0.000000001', 'DecimalSI'],
  ['0.00000000050', '0.000000001', 'DecimalSI'],
  ['0.5e-9', '0.000000001', 'DecimalExponent'],
  ['0.9n', '0.000000001', 'DecimalSI'],
  ['0.00000012345', '0.000000124', 'DecimalSI'],
  ['0.00000012354', '0.000000124', 'DecimalSI'],
  ['9Ei', '9223372036854775807', 'BinarySI'],
  ['9223372036854775807Ki', '9223372036854775807', 'BinarySI'],
  ['12E', '12000000000000000000', 'DecimalSI'],
  // We'll accept fractional binary stuff, too.
  ['100.035Ki', '102435.84', 'BinarySI'],
  ['0.5Mi', '524288', 'BinarySI'],
  ['0.05Gi', '53687091.2', 'BinarySI'],
  ['0.025Ti', '27487790694.4', 'BinarySI'],
  // Things written by trolls
  ['0.000000000001Ki', '0.000000002', 'DecimalSI'],
  ['.001', '0.001', 'DecimalSI'],
  ['.0001k', '0.1', 'DecimalSI'],
  ['1.', '1', 'DecimalSI'],
  ['1.G', '1000000000', 'DecimalSI'],
];

// quantity_test.go, TestQuantityParse's invalid list (plus the empty string it checks first).
const INVALID = ['', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 '];

function negate(decimal: string): string {
  return decimal === '0' ? '0' : `-${decimal}`;
}

describe('parseQuantity follows apimachinery (quantity_test.go TestQuantityParse)', () => {
  it.each(PARSE_TABLE)('parses %s to exactly %s (%s)', (input, decimal, format) => {
    const q = parseQuantity(input);
    expect(quantityToDecimalString(q)).toBe(decimal);
    expect(q.format).toBe(format);
  });

  it.each(PARSE_TABLE)('parses -%s to the negation of %s', (input, decimal) => {
    expect(quantityToDecimalString(parseQuantity(`-${input}`))).toBe(negate(decimal));
  });

  it.each(PARSE_TABLE)('parses +%s like %s', (input, decimal) => {
    expect(quantityToDecimalString(parseQuantity(`+${input}`))).toBe(decimal);
  });

  it.each(INVALID)('refuses %j with a coded QuantityError', (input) => {
    let caught: unknown;
    try {
      parseQuantity(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QuantityError);
    expect((caught as QuantityError).code).toBe(QUANTITY_INVALID);
    expect((caught as QuantityError).input).toBe(input);
  });

  it('says which character broke the grammar, and which suffix is unknown', () => {
    expect(() => parseQuantity('1 ')).toThrow(/unexpected " " at offset 1/);
    expect(() => parseQuantity('0.1mi')).toThrow(/suffix "mi"/);
    try {
      parseQuantity('1i');
    } catch (err) {
      expect((err as QuantityError).reason).toBe('suffix');
    }
    try {
      parseQuantity('aoeu');
    } catch (err) {
      expect((err as QuantityError).reason).toBe('format');
    }
  });

  it('accepts the bare "." and "-." that parseQuantityString accepts (as zero)', () => {
    expect(quantityToDecimalString(parseQuantity('.'))).toBe('0');
    expect(quantityToDecimalString(parseQuantity('-.'))).toBe('0');
  });
});

describe('MilliValue and Value round up, away from zero', () => {
  // The brief's examples; "0.1m will be rounded up to 1m" is quantity.go's own doc comment.
  it.each([
    ['100m', 100, 1],
    ['0.5', 500, 1],
    ['1', 1000, 1],
    ['1Gi', 1073741824000, 1073741824],
    ['500Mi', 524288000000, 524288000],
    ['1e3', 1000000, 1000],
    ['1k', 1000000, 1000],
    ['2.5G', 2500000000000, 2500000000],
    ['1Ki', 1024000, 1024],
    ['0.1m', 1, 1],
    ['1n', 1, 1],
    ['2000', 2000000, 2000],
    ['-1.5', -1500, -2],
    ['-100m', -100, -1],
  ] as const)('%s → milli %d, value %d', (input, milli, value) => {
    expect(parseQuantityMilliValue(input)).toBe(milli);
    expect(parseQuantityValue(input)).toBe(value);
  });

  // quantity_test.go TestMilliNewSet / TestNewSet: canonical strings round-trip to their values.
  it.each([
    ['1m', 1],
    ['1', 1000],
    ['1234', 1234000],
  ] as const)('TestMilliNewSet: %s has MilliValue %d', (input, milli) => {
    expect(parseQuantityMilliValue(input)).toBe(milli);
  });
  it.each([
    ['1', 1],
    ['1k', 1000],
    ['1234k', 1234000],
    ['1Ki', 1024],
    ['1e6', 1000000],
    ['1Mi', 1048576],
  ] as const)('TestNewSet: %s has Value %d', (input, value) => {
    expect(parseQuantityValue(input)).toBe(value);
  });

  it('refuses a value beyond 2^53−1 instead of returning an inexact number', () => {
    expect(parseQuantityValue('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseQuantityValue('9007199254740992')).toThrow(QuantityError);
    expect(() => parseQuantityValue('12E')).toThrow(/beyond/);
    expect(parseQuantityMilliValue('1Ti')).toBe(1099511627776000);
    expect(() => parseQuantityMilliValue('10Ti')).toThrow(QuantityError);
    try {
      parseQuantityValue('9Ei');
    } catch (err) {
      expect((err as QuantityError).reason).toBe('range');
    }
  });

  it('refuses absurd magnitudes at parse time', () => {
    expect(() => parseQuantity('1e100000')).toThrow(QuantityError);
    expect(quantityToDecimalString(parseQuantity('1e-100000'))).toBe('0.000000001');
  });
});

describe('arithmetic is exact', () => {
  // quantity_test.go TestQuantityCmp.
  it.each([
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
  ] as const)('Cmp(%s, %s) = %d', (x, y, want) => {
    expect(compareQuantities(parseQuantity(x), parseQuantity(y))).toBe(want);
  });

  it('sums before rounding, as PodRequests does: 0.4m + 0.4m is 1m, not 2m', () => {
    const sum = addQuantities(parseQuantity('0.0004'), parseQuantity('0.0004'));
    expect(quantityMilliValue(sum)).toBe(1);
    expect(quantityMilliValue(parseQuantity('0.0004')) * 2).toBe(2);
  });

  it('adds across suffix families', () => {
    const sum = addQuantities(parseQuantity('1Gi'), parseQuantity('500M'));
    expect(quantityValue(sum)).toBe(1073741824 + 500000000);
    expect(quantityToDecimalString(addQuantities(parseQuantity('1.5'), parseQuantity('-250m')))).toBe('1.25');
  });
});
