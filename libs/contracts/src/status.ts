/** Status vocabularies shared by the engine, the API and the web app. */
export const STEP_STATUSES = ['waiting', 'active', 'approved', 'rejected', 'skipped', 'returned'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const TICKET_STATUSES = ['pending', 'approved', 'rejected', 'returned', 'withdrawn'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** One person's part in one step. */
export const TASK_STATUSES = ['waiting', 'active', 'approved', 'rejected', 'returned', 'closed', 'transferred'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const ROLES = ['requester', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const DECISIONS = ['approve', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** Text that is shown to people in both supported languages. */
export interface LocalizedText {
  en: string;
  zh: string;
}
