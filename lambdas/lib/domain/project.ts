import type { MailFailure } from '../ports/mail-status.ts';

/** Plans a project can be on. */
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** `provisioning` → `active` | `failed`; `deleting` → `deleted`. */
export const PROJECT_STATUSES = [
  'provisioning',
  'active',
  'failed',
  'deleting',
  'deleted',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Why a saga gave up, as Step Functions reported it. */
export interface Failure {
  readonly error: string;
  readonly cause?: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly ownerEmail: string;
  readonly plan: Plan;
  readonly status: ProjectStatus;
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly failure?: Failure;
  /** Set when the welcome e-mail failed after all its retries (the project stays active). */
  readonly welcomeEmail?: MailFailure;
}

/** The body of `202 POST /v1/projects`: fixed fields, so a replay is identical. */
export const acceptedView = (project: Project) => ({
  id: project.id,
  name: project.name,
  ownerEmail: project.ownerEmail,
  plan: project.plan,
  status: project.status,
  createdAt: project.createdAt,
});

/** The body of `GET /v1/projects/{projectId}`. */
export const projectView = (project: Project) => ({
  ...acceptedView(project),
  schemaVersion: project.schemaVersion,
  updatedAt: project.updatedAt,
  ...(project.failure ? { failure: project.failure } : {}),
  ...(project.welcomeEmail ? { welcomeEmail: project.welcomeEmail } : {}),
});

/** The provision-project execution input: taken from the stored project, so it is stable. */
export const provisionInput = (project: Project) => ({
  projectId: project.id,
  name: project.name,
  ownerEmail: project.ownerEmail,
  plan: project.plan,
});
