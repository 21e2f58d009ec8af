import { flowGraph, flowGraphQuery, flowMoves, flowMovesQuery } from '../schemas/flow';
import { routeGroup } from './route';

const route = routeGroup('materials flow');

// Read like the stock report: whoever may read stock may read how it flows.
export const routeGraph = {
  graph: route({
    method: 'get',
    path: '/api/routes/graph',
    summary: 'The materials flow of a product or a warehouse: locations, the routes between them, open moves on each',
    query: flowGraphQuery,
    response: flowGraph,
    permission: 'inventory.read',
  }),
  moves: route({
    method: 'get',
    path: '/api/routes/graph/moves',
    summary: 'The open moves on one edge of the materials flow (from, to, route), with their pickings',
    query: flowMovesQuery,
    response: flowMoves,
    permission: 'inventory.read',
  }),
};
