import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../../infra/local/apigateway/gateway-event.ts';
import { getOpenApi, getRuns } from '../../../lambdas/http/routes.ts';

describe('compileRoute', () => {
  it('matches literal text literally: the dot of /openapi.json is a dot', () => {
    const { pattern } = compileRoute(getOpenApi);
    expect(pattern.test('/openapi.json')).toBe(true);
    expect(pattern.test('/openapiXjson')).toBe(false);
  });

  it('captures each path parameter by name, in path order', () => {
    const compiled = compileRoute(getRuns);
    expect(compiled.params).toEqual(['projectId', 'activityId']);
    expect(compiled.pattern.exec('/projects/p/activities/a/runs')?.slice(1)).toEqual(['p', 'a']);
    expect(compiled.pattern.test('/projects/p/activities/a/b/runs')).toBe(false);
  });
});
