import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerKey } from '../../contracts/schemas/imports';
import { csvRows, detectFormat, readHead } from '../../server/modules/imports/csv-source';
import { BUILT_IN_PROFILES, columnIndex, detectProfile, guessMapping, mapping, mappingFor, resolveColumns } from '../../server/modules/imports/profiles';

// The CSV import's parsers: how a file's format is found, how its columns are matched to the fields of
// an order (header keys, the variants shops use, the built-in profiles) and what a mapping must name.

describe('headerKey', () => {
  it('compares headers without case, spaces, punctuation or accents', () => {
    expect(['Shipping Address1', 'shipping_address_1', 'Shipping address 1', 'SHIPPING-ADDRESS-1'].map(headerKey)).toEqual(Array(4).fill('shippingaddress1'));
    expect(headerKey('Téléphone')).toBe('telephone');
    expect(headerKey('  ')).toBe('');
  });
});

describe('columnIndex', () => {
  const header = ['Order No', 'Shipping Street', 'Qty', 'Shipping Postcode', 'Price'];

  it('finds a column by its own name, spelled any way', () => {
    expect(columnIndex(header, 'order_no')).toBe(0);
    expect(columnIndex(header, 'QTY')).toBe(2);
  });

  it('finds a column by a variant shops use for it', () => {
    expect(columnIndex(header, 'Shipping Address1')).toBe(1);
    expect(columnIndex(header, 'Shipping Zip')).toBe(3);
    expect(columnIndex(header, 'Lineitem quantity')).toBe(2);
    expect(columnIndex(header, 'Lineitem price')).toBe(4);
  });

  it('is -1 for a column the file has under no name', () => {
    expect(columnIndex(header, 'Shipping City')).toBe(-1);
    expect(columnIndex(header, 'Lineitem sku')).toBe(-1);
  });
});

describe('resolveColumns', () => {
  it('names the required columns a file lacks, and SKU or product name when it has neither', () => {
    const { columns, missing } = resolveColumns(['Name', 'Email'], BUILT_IN_PROFILES.shopify);
    expect(missing).toEqual(['Lineitem quantity', 'Lineitem price', 'Lineitem sku']);
    expect([...columns.keys()]).toEqual(['reference', 'customerEmail']);
  });

  it('a product name is enough without a SKU', () => {
    const { columns, missing } = resolveColumns(['Name', 'Lineitem name', 'Lineitem quantity', 'Lineitem price'], BUILT_IN_PROFILES.shopify);
    expect(missing).toEqual([]);
    expect(columns.get('productName')).toEqual([1]);
    expect(columns.has('sku')).toBe(false);
  });

  it('a field of several columns keeps those the file has, in the mapping’s order', () => {
    const header = ['Tax 2 Name', 'Name', 'Lineitem sku', 'Lineitem quantity', 'Lineitem price', 'Tax 1 Name'];
    expect(resolveColumns(header, BUILT_IN_PROFILES.shopify).columns.get('taxNames')).toEqual([5, 0]);
  });
});

describe('mappingFor', () => {
  it('spells the mapping as the file does: its own headers, one or several per field', () => {
    const header = ['Order Number', 'Billing First Name', 'Billing Last Name', 'SKU', 'Quantity', 'Item Cost', 'Shipping Postal Code'];
    expect(mappingFor(header, BUILT_IN_PROFILES.woocommerce)).toEqual({
      reference: 'Order Number',
      customerName: ['Billing First Name', 'Billing Last Name'],
      sku: 'SKU',
      quantity: 'Quantity',
      unitPrice: 'Item Cost',
      shippingZip: 'Shipping Postal Code',
    });
  });
});

describe('detectProfile', () => {
  it('takes a file for a profile only when most of its columns are there', () => {
    // The required columns of a Shopify export and little else: no profile.
    expect(detectProfile(['Name', 'Lineitem sku', 'Lineitem quantity', 'Lineitem price'])).toBeNull();
    expect(detectProfile(['a', 'b', 'c'])).toBeNull();
    expect(detectProfile([])).toBeNull();
  });

  it('recognises a WooCommerce export from 40% of its 26 columns, by their own names', () => {
    const woo = [
      'Order Number',
      'Order Date',
      'Billing First Name',
      'Billing Last Name',
      'Billing Email',
      'SKU',
      'Item Name',
      'Quantity',
      'Item Cost',
      'Order Total Amount',
    ];
    expect(detectProfile(woo)).toBeNull(); // 10 of 26
    expect(detectProfile([...woo, 'Shipping City'])).toBe('woocommerce'); // 11 of 26
  });
});

describe('guessMapping', () => {
  it('maps each column once, to the first field that usually bears its name', () => {
    // "Price" could be the unit price; "Name" is taken as the reference, then not again as a product name.
    expect(guessMapping(['Name', 'Description', 'Quantity', 'Price', 'Town', 'Postcode', 'Tax'])).toEqual({
      reference: 'Name',
      shippingCity: 'Town',
      shippingZip: 'Postcode',
      productName: 'Description',
      quantity: 'Quantity',
      unitPrice: 'Price',
      taxRate: 'Tax',
    });
    expect(guessMapping(['foo', 'bar'])).toEqual({});
  });
});

describe('the mapping schema', () => {
  it('needs a reference, a quantity, a unit price and a SKU or a product name', () => {
    expect(mapping.safeParse({ reference: 'Order', quantity: 'Qty', unitPrice: 'Price', sku: 'SKU' }).success).toBe(true);
    expect(mapping.safeParse({ reference: 'Order', quantity: 'Qty', unitPrice: 'Price', productName: ['Product', 'Variant'] }).success).toBe(true);
    const noPrice = mapping.safeParse({ reference: 'Order', quantity: 'Qty', sku: 'SKU' });
    expect(noPrice.success).toBe(false);
    expect(noPrice.error!.issues[0]!.message).toBe('must map at least reference, quantity, unitPrice');
    const noProduct = mapping.safeParse({ reference: 'Order', quantity: 'Qty', unitPrice: 'Price' });
    expect(noProduct.error!.issues.map((i) => i.message)).toContain('must map sku or productName');
  });

  it('refuses an unknown field, an empty column name, and more than six columns for one field', () => {
    const base = { reference: 'Order', quantity: 'Qty', unitPrice: 'Price', sku: 'SKU' };
    expect(mapping.safeParse({ ...base, colour: 'Colour' }).success).toBe(false);
    expect(mapping.safeParse({ ...base, notes: '   ' }).success).toBe(false);
    expect(mapping.safeParse({ ...base, taxNames: ['1', '2', '3', '4', '5', '6', '7'] }).success).toBe(false);
  });

  it('the built-in profiles are valid mappings', () => {
    expect(mapping.safeParse(BUILT_IN_PROFILES.shopify).success).toBe(true);
    expect(mapping.safeParse(BUILT_IN_PROFILES.woocommerce).success).toBe(true);
  });
});

describe('detectFormat', () => {
  const fmt = (text: string | Buffer) => detectFormat(Buffer.isBuffer(text) ? text : Buffer.from(text));

  it('finds the delimiter that splits the header, quotes aside', () => {
    expect(fmt('a,b,c\n1,2,3\n').delimiter).toBe(',');
    expect(fmt('a;b;c\n1;2;3\n').delimiter).toBe(';');
    expect(fmt('a\tb\tc\n').delimiter).toBe('\t');
    expect(fmt('a|b|c\n').delimiter).toBe('|');
    // Commas inside a quoted header do not count.
    expect(fmt('"Name, full";"Street, no";Qty\n').delimiter).toBe(';');
    // One column: a comma.
    expect(fmt('reference\nS1\n').delimiter).toBe(',');
  });

  it('reads UTF-8 (with or without BOM) as UTF-8, and Latin-1 bytes as Windows-1252', () => {
    expect(fmt('\uFEFFName;Ville\nA;Orléans\n').encoding).toBe('utf-8');
    expect(fmt('Name;Ville\nA;Orléans\nB;Besançon\n').encoding).toBe('utf-8');
    expect(fmt(Buffer.from('Name;Ville\nA;Orl\xe9ans\nB;Besan\xe7on\n', 'latin1')).encoding).toBe('windows-1252');
  });

  it('keeps UTF-8 for a UTF-8 file with one stray Latin-1 row', () => {
    const text = Buffer.concat([Buffer.from('Name;Ville\nA;Orléans\nB;Besançon\nC;Zürich\n'), Buffer.from('D;Orl\xe9ans\n', 'latin1')]);
    expect(fmt(text).encoding).toBe('utf-8');
  });
});

describe('csvRows', () => {
  const file = (data: Buffer) => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'csv-unit-')), 'f.csv');
    writeFileSync(f, data);
    return f;
  };
  const read = async (f: string) => {
    const out: unknown[] = [];
    for await (const r of csvRows(f, detectFormat(await readHead(f)))) out.push('header' in r ? { header: r.header } : [r.line, r.record, r.cells]);
    return out;
  };

  it('decodes a Windows-1252 file, trims the header, and keeps a ragged row as it is', async () => {
    const f = file(Buffer.from(' Name ;Ville\nA;Orl\xe9ans\nB;Besan\xe7on;extra\nC\n', 'latin1'));
    expect(await read(f)).toEqual([{ header: ['Name', 'Ville'] }, [2, 1, ['A', 'Orléans']], [3, 2, ['B', 'Besançon', 'extra']], [4, 3, ['C']]]);
  });
});
