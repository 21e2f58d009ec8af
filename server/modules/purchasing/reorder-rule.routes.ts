import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import * as rules from './reorder-rule.service';

export function reorderRuleRoutes() {
  const api = new ApiRouter('/api/reorder-rules');
  api.handle(routes.reorderRules.list, (a, { query }) => rules.listReorderRules(a, query));
  api.handle(routes.reorderRules.create, (a, { body }) => rules.createReorderRule(a, body));
  api.handle(routes.reorderRules.update, (a, { id, body }) => rules.updateReorderRule(a, id, body));
  api.handle(routes.reorderRules.remove, (a, { id }) => rules.removeReorderRule(a, id));
  return api.router;
}
