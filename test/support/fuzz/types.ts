/**
 * A request as the fuzz sends it: raw path, raw header pairs (duplicates allowed), raw body —
 * text (sent as UTF-8) or bytes (sent byte for byte, which is how bytes that are not UTF-8 get
 * into a body). `route` names the route of the route table the request aims at, or is
 * `Unrouted` for a path meant to match none.
 */
export interface FuzzRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly headers: readonly [string, string][];
  readonly body?: string | Buffer;
}

/** The ids and tokens of the fixture the generated requests aim at. */
export interface FuzzTargets {
  readonly projectId: string;
  readonly doomedProjectId: string;
  readonly keyId: string;
  readonly projectKey: string;
  readonly adminToken: string;
  readonly cursor: string;
  /** A webhook receiver that answers 200, which a valid PUT /webhook points the project at. */
  readonly webhookUrl: string;
}

/** A body and, when the body needs one (bytes in a named charset), the Content-Type it goes with. */
export interface BodyChoice {
  readonly body?: string | Buffer;
  /** Replaces the generated Content-Type headers when set. */
  readonly contentTypes?: readonly string[];
}
