import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { materialsFlowGraph, materialsFlowMoves } from '../../workflows/materials-flow.report';

/** The materials-flow graph and the open moves of one of its edges. */
export function routeGraphRoutes() {
  const api = new ApiRouter('/api/routes/graph');
  api.handle(routes.routeGraph.graph, (a, { query }) => materialsFlowGraph(a, query));
  api.handle(routes.routeGraph.moves, (a, { query }) => materialsFlowMoves(a, query));
  return api.router;
}
