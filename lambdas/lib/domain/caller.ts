/**
 * Who is calling: the authorizer establishes it from the bearer token, the HTTP layer reads it
 * back from the request, and use cases record it (the audit actor).
 */
export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'project'; readonly projectId: string; readonly keyId: string };
