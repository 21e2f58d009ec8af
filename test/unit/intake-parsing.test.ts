import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emailAddress, isEmailAddress } from '../../contracts/schemas/common';
import { countryCodeOf } from '../../server/lib/countries';
import { deliverable } from '../../server/modules/mail/transport';
import { csvRows, detectFormat, readHead, type CsvRow } from '../../server/modules/imports/csv-source';
import { parseDate, parseMoney } from '../../server/modules/imports/import.values';
import { BUILT_IN_PROFILES, detectProfile, guessMapping, mappingFor, resolveColumns } from '../../server/modules/imports/profiles';
import { SHOPIFY_EXPORT_COLUMNS } from '../factories/shopify-export';

// What real exports and real customers bring: accented and international email addresses, countries
// by name, impossible dates, records spanning several lines, Shopify files with columns left out.

describe('email addresses', () => {
  it('accepts international addresses (RFC 6531/6532), in NFC and lower case', () => {
    for (const e of ['josé@example.com', 'fatima.garcía@example.com', 'jürgen@müller.de', '用户@例子.广告', 'o.brien+orders@example.co.uk']) {
      expect(isEmailAddress(e), e).toBe(true);
    }
    expect(emailAddress.parse('  José@Example.COM ')).toBe('josé@example.com');
    // "é" typed as e + combining accent is stored as the one character.
    expect(emailAddress.parse('jose\u0301@example.com')).toBe('josé@example.com');
  });
  it('refuses what is no address', () => {
    for (const e of ['plain', 'a@b', 'two@@example.com', 'sp ace@example.com', 'dot.@example.com', 'x@example..com', '']) {
      expect(isEmailAddress(e), e).toBe(false);
    }
  });
  it('is sent with the domain in its ASCII form, the local part as it is', () => {
    expect(deliverable('"Jürgen" <jürgen@müller.de>')).toBe('"Jürgen" <jürgen@xn--mller-kva.de>');
    expect(deliverable('josé@example.com')).toBe('josé@example.com');
  });
});

describe('countries', () => {
  it('are found by code or by name in the languages shops export in', () => {
    expect(['fr', 'France', 'Deutschland', 'España', 'United Kingdom', 'Österreich', 'Schweiz', 'USA', 'Nederland'].map(countryCodeOf)).toEqual([
      'FR',
      'FR',
      'DE',
      'ES',
      'GB',
      'AT',
      'CH',
      'US',
      'NL',
    ]);
    expect(countryCodeOf('Narnia')).toBeNull();
    expect(countryCodeOf('')).toBeNull();
  });
});

describe('parseDate and parseMoney', () => {
  it('reads the dates shops write, and refuses days that do not exist', () => {
    expect(parseDate('2026-11-20 10:15:00 +0100')).toBe('2026-11-20T09:15:00.000Z');
    expect(parseDate('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    expect(parseDate('2028-02-29 12:00')).toBe('2028-02-29T12:00:00.000Z');
    for (const bad of ['2026-02-30 10:00:00 +0100', '2026-02-29', '2026-04-31', '2026-13-01', '2026-11-20 24:10:00', '31/12/2026']) {
      expect(() => parseDate(bad), bad).toThrow(/not a (real )?date/);
    }
  });
  it('reads amounts with a comma or a point, and refuses a letter O for a zero', () => {
    expect(parseMoney('1 234,50')).toBe(123450);
    expect(parseMoney('€19.99')).toBe(1999);
    expect(() => parseMoney('1O.00')).toThrow(/not an amount/);
  });
});

describe('CSV records', () => {
  const file = (text: string | Buffer) => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'csv-')), 'f.csv');
    writeFileSync(f, text);
    return f;
  };
  const rows = async (f: string) => {
    const out: CsvRow[] = [];
    for await (const r of csvRows(f, detectFormat(await readHead(f)))) if (!('header' in r)) out.push(r);
    return out;
  };
  it('are reported at the line they start on, with their number, whatever their line breaks', async () => {
    // A quoted field over three lines, an empty line, CRLF line ends.
    const crlf = await rows(file('a,b,c\r\n1,"x\r\ny\r\nz",3\r\n\r\n2,w,4\r\n3,"q",5'));
    expect(crlf.map((r) => [r.line, r.record, r.cells[0]])).toEqual([
      [2, 1, '1'],
      [6, 2, '2'],
      [7, 3, '3'],
    ]);
    const lf = await rows(file('\uFEFFa;b\n"é\nè";2\n\n\n4;5\n"6\n";7\n8;9\n'));
    expect(lf.map((r) => [r.line, r.record])).toEqual([
      [2, 1],
      [6, 2],
      [7, 3],
      [9, 4],
    ]);
  });
});

describe('Shopify files', () => {
  it('are recognised from their headers, with optional columns left out and header variants', () => {
    expect(SHOPIFY_EXPORT_COLUMNS).toHaveLength(79);
    expect(detectProfile(SHOPIFY_EXPORT_COLUMNS)).toBe('shopify');
    // Without Phone, Address2, Province and Notes, and "Shipping Street" for "Shipping Address1".
    const trimmed = SHOPIFY_EXPORT_COLUMNS.filter((c) => !['Phone', 'Shipping Address2', 'Shipping Province', 'Notes', 'Shipping Address1'].includes(c));
    expect(detectProfile(trimmed)).toBe('shopify');
    const { columns, missing } = resolveColumns(trimmed, BUILT_IN_PROFILES.shopify);
    expect(missing).toEqual([]);
    expect(trimmed[columns.get('shippingStreet')![0]!]).toBe('Shipping Street');
    expect(columns.has('shippingStreet2')).toBe(false);
    expect(mappingFor(trimmed, BUILT_IN_PROFILES.shopify)).toMatchObject({ shippingStreet: 'Shipping Street', customerEmail: 'Email', reference: 'Name' });
    // A WooCommerce export is not taken for a Shopify one.
    expect(detectProfile(Object.values(BUILT_IN_PROFILES.woocommerce).flat())).toBe('woocommerce');
    // Without the required columns it is no Shopify file.
    expect(detectProfile(trimmed.filter((c) => c !== 'Lineitem quantity'))).toBeNull();
  });
  it('a file of one’s own gets a mapping guessed from its column names', () => {
    expect(guessMapping(['Order No', 'E-mail address', 'Product', 'Qty', 'Unit price', 'Country'])).toEqual({
      reference: 'Order No',
      customerEmail: 'E-mail address',
      shippingCountry: 'Country',
      productName: 'Product',
      quantity: 'Qty',
      unitPrice: 'Unit price',
    });
  });
});
