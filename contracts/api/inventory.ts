import { z } from 'zod';
import { listOf, listQuery } from '../schemas/common';
import { location, locationListQuery, warehouse, warehouseCreate } from '../schemas/company';
import {
  pendingShipments,
  picking,
  pickingList,
  pickingListQuery,
  pickingPatch,
  pickingReturn,
  pickingValidate,
  pickingValidated,
  stockAdjustment,
  stockImportResult,
  stockReport,
  stockReportItem,
  stockReportQuery,
  stockTransfer,
} from '../schemas/inventory';
import { routeGroup } from './route';

const route = routeGroup('inventory');

export const warehouses = {
  list: route({
    method: 'get',
    path: '/api/warehouses',
    summary: 'List warehouses',
    query: listQuery,
    response: listOf(warehouse),
    permission: 'inventory.read',
  }),
  create: route({
    method: 'post',
    path: '/api/warehouses',
    summary: 'Add a warehouse (with its Stock and Returns locations)',
    body: warehouseCreate,
    response: warehouse,
    status: 201,
    permission: 'company.write',
  }),
};

export const locations = {
  list: route({
    method: 'get',
    path: '/api/locations',
    summary: 'List locations',
    query: locationListQuery,
    response: listOf(location),
    permission: 'inventory.read',
  }),
};

export const pickings = {
  list: route({
    method: 'get',
    path: '/api/pickings',
    summary: 'Deliveries, receipts and returns',
    query: pickingListQuery,
    queryArrays: 'repeat',
    response: pickingList,
    permission: 'inventory.read',
  }),
  get: route({ method: 'get', path: '/api/pickings/:id', summary: 'A picking with its moves', response: picking, permission: 'inventory.read' }),
  update: route({
    method: 'patch',
    path: '/api/pickings/:id',
    summary: 'Carrier, tracking reference, scheduled date',
    body: pickingPatch,
    response: picking,
    permission: 'inventory.write',
  }),
  checkAvailability: route({
    method: 'post',
    path: '/api/pickings/:id/check-availability',
    summary: 'Reserve again what the picking waits for',
    response: picking,
    permission: 'inventory.write',
  }),
  validate: route({
    method: 'post',
    path: '/api/pickings/:id/validate',
    summary: 'Validate all (what is reserved) or the quantities given; below the demand, backorder (default) or cancel the rest',
    body: pickingValidate,
    response: pickingValidated,
    permission: 'inventory.write',
  }),
  createReturn: route({
    method: 'post',
    path: '/api/pickings/:id/return',
    summary: 'Return products of a done delivery into the Returns location, or of a done receipt to the vendor',
    body: pickingReturn,
    response: picking,
    status: 201,
    permission: 'inventory.write',
  }),
  cancel: route({
    method: 'post',
    path: '/api/pickings/:id/cancel',
    summary: 'Cancel a picking that is not done',
    response: picking,
    permission: 'inventory.write',
  }),
  pdf: route({ method: 'get', path: '/api/pickings/:id/pdf', summary: 'The delivery note as PDF', file: true, permission: 'inventory.read' }),
  docx: route({ method: 'get', path: '/api/pickings/:id/docx', summary: 'The delivery note as DOCX', file: true, permission: 'inventory.read' }),
};

export const stock = {
  report: route({
    method: 'get',
    path: '/api/stock/report',
    summary: 'On hand, reserved, incoming, outgoing and forecast per product and location',
    query: stockReportQuery,
    response: stockReport,
    permission: 'inventory.read',
  }),
  reportCsv: route({
    method: 'get',
    path: '/api/stock/report.csv',
    summary: 'The stock report as CSV',
    query: stockReportQuery,
    file: true,
    permission: 'inventory.read',
  }),
  transfer: route({
    method: 'post',
    path: '/api/stock/transfers',
    summary: 'Move free stock now: to another stock location (Returns → Stock) or to scrap',
    body: stockTransfer,
    response: z.array(stockReportItem),
    permission: 'inventory.write',
  }),
  adjust: route({
    method: 'post',
    path: '/api/stock/adjustments',
    summary: 'Set the counted on-hand of a product (default: the main Stock)',
    body: stockAdjustment,
    response: stockReportItem,
    permission: 'inventory.write',
  }),
  importCounts: route({
    method: 'post',
    path: '/api/stock/adjustments/import',
    summary: 'Counted quantities from a CSV (sku, quantity[, location]): each row applied or reported',
    multipart: true,
    response: stockImportResult,
    permission: 'inventory.write',
  }),
};

export const shipments = {
  pending: route({
    method: 'get',
    path: '/api/shipments/pending',
    summary: 'Pickings not done yet, inbound and outbound, late ones first',
    response: pendingShipments,
    permission: 'inventory.read',
  }),
};
