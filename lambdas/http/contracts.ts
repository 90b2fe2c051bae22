import type { RouteContract } from '#lib/http/route-contract.ts';
import {
  acceptedEventBody,
  acceptedProjectBody,
  activityBody,
  auditPageBody,
  createdKeyBody,
  eventBody,
  healthBody,
  keyListBody,
  openApiBody,
  orderBody,
  projectBody,
  revokedKeyBody,
  runListBody,
  webhookBody,
} from './responses.ts';
import * as table from './routes.ts';
import {
  activityPath,
  chargeBody,
  createKeyBody,
  createProjectBody,
  eventPath,
  keyPath,
  orderPath,
  pageQuery,
  postEventBody,
  projectPath,
  putActivityBody,
  putWebhookBody,
} from './schemas.ts';

/*
 * One contract per row of the route table (lib/http/route-contract.ts). Handlers spread theirs
 * into `httpRoute`, so the schemas here are the ones requests are validated with; the OpenAPI
 * document is built from `contracts`. GET /health and GET /openapi.json validate nothing, and
 * GetHealth does not import this module: its function stays free of zod.
 */

export const getHealth = {
  route: table.getHealth,
  summary: 'Health check',
  success: { status: 200, body: healthBody },
} as const satisfies RouteContract;

export const getOpenApi = {
  route: table.getOpenApi,
  summary: 'This OpenAPI document',
  success: { status: 200, body: openApiBody },
} as const satisfies RouteContract;

export const postProjects = {
  route: table.postProjects,
  summary: 'Create a project and start provisioning it',
  body: createProjectBody,
  success: { status: 202, body: acceptedProjectBody, location: true },
} as const satisfies RouteContract;

export const getProject = {
  route: table.getProject,
  summary: 'A project and its status',
  params: projectPath,
  success: { status: 200, body: projectBody },
} as const satisfies RouteContract;

export const deleteProject = {
  route: table.deleteProject,
  summary: 'Delete a project (starts deprovisioning)',
  params: projectPath,
  success: { status: 202, body: acceptedProjectBody, location: true },
  problems: ['not_found', 'conflict'],
} as const satisfies RouteContract;

export const postKeys = {
  route: table.postKeys,
  summary: 'Create an API key (the secret is shown once)',
  params: projectPath,
  body: createKeyBody,
  success: { status: 201, body: createdKeyBody, location: true },
  problems: ['conflict', 'idempotency_window_expired'],
} as const satisfies RouteContract;

export const getKeys = {
  route: table.getKeys,
  summary: "The project's API keys, without secrets",
  params: projectPath,
  success: { status: 200, body: keyListBody },
} as const satisfies RouteContract;

export const deleteKey = {
  route: table.deleteKey,
  summary: 'Revoke an API key',
  params: keyPath,
  success: { status: 200, body: revokedKeyBody },
} as const satisfies RouteContract;

export const getAudit = {
  route: table.getAudit,
  summary: "The project's audit log, newest first, paged",
  params: projectPath,
  query: pageQuery,
  success: { status: 200, body: auditPageBody },
  problems: ['invalid_cursor'],
} as const satisfies RouteContract;

export const putWebhook = {
  route: table.putWebhook,
  summary: "Set the project's webhook endpoint",
  params: projectPath,
  body: putWebhookBody,
  success: { status: 200, body: webhookBody },
  problems: ['conflict', 'webhook_url_invalid'],
} as const satisfies RouteContract;

export const postEvents = {
  route: table.postEvents,
  summary: 'Post an event: delivered to the webhook once per id, starts listening activities',
  params: projectPath,
  body: postEventBody,
  success: { status: 202, body: acceptedEventBody, location: true },
  problems: ['conflict'],
} as const satisfies RouteContract;

export const getEvent = {
  route: table.getEvent,
  summary: 'An event and where its delivery stands',
  params: eventPath,
  success: { status: 200, body: eventBody },
} as const satisfies RouteContract;

export const postCharge = {
  route: table.postCharge,
  summary: 'Charge an order (starts charge-order once per order)',
  params: orderPath,
  body: chargeBody,
  success: { status: 202, body: orderBody, location: true },
  problems: ['conflict'],
} as const satisfies RouteContract;

export const getOrder = {
  route: table.getOrder,
  summary: 'An order and where its charge stands',
  params: orderPath,
  success: { status: 200, body: orderBody },
} as const satisfies RouteContract;

export const putActivity = {
  route: table.putActivity,
  summary: 'Define an activity: schedule and/or event types, misfire policy, tasks',
  params: activityPath,
  body: putActivityBody,
  success: { status: 200, body: activityBody },
  problems: ['conflict', 'unprocessable', 'webhook_url_invalid'],
} as const satisfies RouteContract;

export const getRuns = {
  route: table.getRuns,
  summary: "An activity's runs, newest first, with their task instances",
  params: activityPath,
  success: { status: 200, body: runListBody },
} as const satisfies RouteContract;

/** Every contract, in the order of the route table. */
export const contracts = [
  getHealth,
  getOpenApi,
  postProjects,
  getProject,
  deleteProject,
  postKeys,
  getKeys,
  deleteKey,
  getAudit,
  putWebhook,
  postEvents,
  getEvent,
  postCharge,
  getOrder,
  putActivity,
  getRuns,
] as const satisfies readonly RouteContract[];
