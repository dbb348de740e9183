/**
 * The REST client: same origin, cookie session, JSON. Failures become `ApiError` carrying
 * the server's `message`, which the UI shows as is.
 */
import type {
  AddSignerInput,
  ApiErrorBody,
  Box,
  BulkDecisionInput,
  BulkDecisionResponse,
  ClientConfigDto,
  CreateTicketInput,
  DecisionInput,
  DelegationDto,
  DelegationInput,
  DirectoryEntry,
  LoginResponse,
  ResubmitInput,
  ReturnInput,
  RoutePreviewDto,
  RoutePreviewInput,
  StatsDto,
  TemplateDto,
  TicketDetailDto,
  TicketEventDto,
  TicketSummaryDto,
  TransferInput,
  UserDto,
  WithdrawInput,
} from '@signoff/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: ApiErrorBody | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** status 0: the request never got an HTTP answer (network down, server gone). */
export const isNetworkError = (error: unknown) => error instanceof ApiError && error.status === 0;

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;

/** Called when any request other than login answers 401: the session has ended. */
export function setUnauthorizedListener(listener: UnauthorizedListener | null) {
  onUnauthorized = listener;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).message === 'string';
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    const message = isErrorBody(data)
      ? Array.isArray(data.message)
        ? (data.message as string[]).join('; ')
        : data.message
      : response.statusText || `HTTP ${response.status}`;
    throw new ApiError(response.status, message, isErrorBody(data) ? data : null);
  }
  return data as T;
}

const ticketPath = (id: string) => `/api/tickets/${encodeURIComponent(id)}`;

export const api = {
  login: (email: string, password: string) => request<LoginResponse>('POST', '/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => request<unknown>('POST', '/api/auth/logout', undefined, { quiet401: true }),
  me: () => request<UserDto>('GET', '/api/me', undefined, { quiet401: true }),
  clientConfig: () => request<ClientConfigDto>('GET', '/api/client-config', undefined, { quiet401: true }),
  templates: (signal?: AbortSignal) => request<TemplateDto[]>('GET', '/api/templates', undefined, { signal }),
  tickets: (box: Box, signal?: AbortSignal) =>
    request<TicketSummaryDto[]>('GET', `/api/tickets?box=${encodeURIComponent(box)}`, undefined, { signal }),
  ticket: (id: string, signal?: AbortSignal) =>
    request<TicketDetailDto>('GET', `/api/tickets/${encodeURIComponent(id)}`, undefined, { signal }),
  ticketEvents: (id: string, after: number, signal?: AbortSignal) =>
    request<TicketEventDto[]>('GET', `/api/tickets/${encodeURIComponent(id)}/events?after=${after}`, undefined, { signal }),
  createTicket: (input: CreateTicketInput) => request<TicketDetailDto>('POST', '/api/tickets', input),
  decide: (ticketId: string, input: DecisionInput) =>
    request<TicketDetailDto>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/decisions`, input),
  comment: (ticketId: string, body: string) =>
    request<TicketEventDto>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/comments`, { body }),
  returnTicket: (ticketId: string, input: ReturnInput) => request<TicketDetailDto>('POST', `${ticketPath(ticketId)}/return`, input),
  resubmit: (ticketId: string, input: ResubmitInput) => request<TicketDetailDto>('POST', `${ticketPath(ticketId)}/resubmit`, input),
  withdraw: (ticketId: string, input: WithdrawInput) => request<TicketDetailDto>('POST', `${ticketPath(ticketId)}/withdraw`, input),
  transfer: (ticketId: string, input: TransferInput) => request<TicketDetailDto>('POST', `${ticketPath(ticketId)}/transfer`, input),
  addSigner: (ticketId: string, input: AddSignerInput) => request<TicketDetailDto>('POST', `${ticketPath(ticketId)}/signers`, input),
  urge: (ticketId: string) => request<TicketEventDto>('POST', `${ticketPath(ticketId)}/urge`),
  bulkDecide: (input: BulkDecisionInput) => request<BulkDecisionResponse>('POST', '/api/tickets/bulk-decisions', input),
  preview: (templateKey: string, input: RoutePreviewInput, signal?: AbortSignal) =>
    request<RoutePreviewDto>('POST', `/api/templates/${encodeURIComponent(templateKey)}/preview`, input, { signal }),
  directory: (q: string, signal?: AbortSignal) =>
    request<DirectoryEntry[]>('GET', `/api/users/directory?q=${encodeURIComponent(q)}`, undefined, { signal }),
  delegation: async (signal?: AbortSignal): Promise<DelegationDto | null> => {
    try {
      return await request<DelegationDto>('GET', '/api/me/delegation', undefined, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  setDelegation: (input: DelegationInput) => request<DelegationDto>('PUT', '/api/me/delegation', input),
  clearDelegation: () => request<unknown>('DELETE', '/api/me/delegation'),
  stats: (signal?: AbortSignal) => request<StatsDto>('GET', '/api/admin/stats', undefined, { signal }),
  users: (signal?: AbortSignal) => request<UserDto[]>('GET', '/api/users', undefined, { signal }),
};
